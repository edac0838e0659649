import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageLimit } from '../shared/common.dto';

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'Only events after this global position', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'Comma-separated event types', example: 'ProjectCreated,UserRegistered' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,99}(,[A-Za-z][A-Za-z0-9]{0,99}){0,49}$/, { message: 'type must be a comma-separated list of event types' })
  type?: string;

  @ApiPropertyOptional({ description: 'One stream, e.g. project-prj-…' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  stream?: string;

  /** The response's nextCursor: same as `after`. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,16}$/, { message: 'cursor must be a position' })
  cursor?: string;
}
