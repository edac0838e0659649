import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export class BillingUsageQueryDto {
  @ApiPropertyOptional({ description: 'Project id (an admin without it sees every project)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  project?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @Matches(ISO, { message: 'from must be a UTC ISO time such as 2026-11-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @Matches(ISO, { message: 'to must be a UTC ISO time such as 2026-12-01T00:00:00Z' })
  to?: string;
}
