import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageLimit } from '../shared/common.dto';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

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

  @ApiPropertyOptional({ description: "An admin's filter by project (others always see their own)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  project?: string;

  @ApiPropertyOptional({ description: 'Who did it: a user id, or system:… for the orchestrator itself', example: 'usr-…' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  principal?: string;

  @ApiPropertyOptional({ description: 'Events at or after this UTC time', example: '2026-11-01T00:00:00.000Z' })
  @IsOptional()
  @Matches(ISO, { message: 'from must be a UTC ISO time such as 2026-11-01T00:00:00.000Z' })
  from?: string;

  @ApiPropertyOptional({ description: 'Events before this UTC time' })
  @IsOptional()
  @Matches(ISO, { message: 'to must be a UTC ISO time such as 2026-11-01T00:00:00.000Z' })
  to?: string;

  /** The response's nextCursor: same as `after`. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,16}$/, { message: 'cursor must be a position' })
  cursor?: string;
}
