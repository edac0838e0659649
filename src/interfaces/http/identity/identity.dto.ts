import { notFound } from '../../../domain/shared/domain-error';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmptyObject, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MAX_QUOTA_LIMIT } from '../../../domain/identity/quota/quota';
import { ROLES, Role } from '../../../domain/shared/roles';
import { NAME_MESSAGE, NAME_PATTERN, NO_CONTROL_CHARACTERS } from '../shared/common.dto';

const PROJECT_ID = /^prj-[0-9a-f]{20}$/;

export class IssueTokenDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;

  @ApiProperty({ description: 'Project id or name', example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  project!: string;
}

const limit = () => (target: object, key: string) => {
  ApiPropertyOptional({ minimum: -1, maximum: MAX_QUOTA_LIMIT, description: '-1 means unlimited' })(target, key);
  IsOptional()(target, key);
  IsInt()(target, key);
  Min(-1)(target, key);
  Max(MAX_QUOTA_LIMIT)(target, key);
};

export class QuotasDto {
  @limit() instances?: number;
  @limit() vcpus?: number;
  @limit() ramMiB?: number;
  @limit() volumes?: number;
  @limit() volumeGiB?: number;
  @limit() networks?: number;
  @limit() floatingIps?: number;
}

export class CreateProjectDto {
  @ApiProperty({ example: 'research' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @ApiPropertyOptional({ type: QuotasDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuotasDto)
  quotas?: QuotasDto;
}

export class UpdateProjectDto {
  @ApiProperty({ type: QuotasDto })
  @IsObject()
  @IsNotEmptyObject({ nullable: false }, { message: 'quotas must name at least one resource' })
  @ValidateNested()
  @Type(() => QuotasDto)
  quotas!: QuotasDto;
}

export class CreateUserDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 256 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'password must not contain control characters' })
  password!: string;

  @ApiProperty({ example: 'prj-0123456789abcdef0123' })
  @IsString()
  @Matches(PROJECT_ID, { message: 'projectId must be a project id (prj-…)' })
  projectId!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class AssignRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

/** A project id from a path or request; anything else names no project (404, as an unknown id would). */
export function projectIdOrNotFound(value: string | undefined): string {
  if (!value || !PROJECT_ID.test(value)) throw notFound('ProjectNotFound', 'Project not found');
  return value;
}
