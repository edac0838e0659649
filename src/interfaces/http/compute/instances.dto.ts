import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { MAX_INSTANCES_PER_REQUEST } from '../../../application/compute/provisioning/launch-instances.command';
import { ListQueryDto, NAME_MESSAGE, NAME_PATTERN } from '../shared/common.dto';

const REFERENCE = /^[\p{L}\p{N}][\p{L}\p{N}._ -]{0,63}$/u;

/** Instance metadata: at most 128 string values (the domain checks the keys and lengths). */
const IsMetadata = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { role: 'web' } })(target, key);
  IsObject()(target, key);
  ValidateBy({
    name: 'isMetadata',
    validator: {
      validate: (value: unknown) => typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string'),
      defaultMessage: () => 'metadata must be an object of string values',
    },
  })(target, key);
};

export class NetworkRequestDto {
  @ApiProperty({ description: 'Network id or name', example: 'private' })
  @IsString()
  @Matches(REFERENCE, { message: 'network must be a network id or name' })
  network!: string;

  @ApiPropertyOptional({ example: '10.0.0.10', description: 'A fixed address (only with a single instance)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,3}(\.\d{1,3}){3}$/, { message: 'ip must be an IPv4 address' })
  ip?: string;
}

export class LaunchInstancesDto {
  @ApiProperty({ example: 'web' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @ApiProperty({ description: 'Flavor id or name', example: 'm1.small' })
  @IsString()
  @Matches(REFERENCE, { message: 'flavor must be a flavor id or name' })
  flavor!: string;

  @ApiProperty({ description: 'Image id or name', example: 'cirros' })
  @IsString()
  @Matches(REFERENCE, { message: 'image must be an image id or name' })
  image!: string;

  @ApiProperty({ type: [NetworkRequestDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => NetworkRequestDto)
  networks!: NetworkRequestDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: `keyName ${NAME_MESSAGE}` })
  keyName?: string;

  @ApiPropertyOptional({ description: 'A script the guest runs at first boot (at most 64 KiB)' })
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  userData?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  securityGroups?: string[];

  @ApiPropertyOptional({ example: 'nova' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'zone must be an availability zone name' })
  zone?: string;

  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: [String], example: ['web'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_INSTANCES_PER_REQUEST, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_INSTANCES_PER_REQUEST)
  minCount?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_INSTANCES_PER_REQUEST, default: 'minCount' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_INSTANCES_PER_REQUEST)
  maxCount?: number;
}

export class InstanceMetadataDto {
  @IsMetadata()
  metadata!: Record<string, string>;
}

export class InstanceTagsDto {
  @ApiProperty({ type: [String], example: ['web', 'prod'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  tags!: string[];
}

export class InstanceActionDto {
  @ApiProperty({ enum: ['stop', 'start', 'reboot'] })
  @IsIn(['stop', 'start', 'reboot'])
  action!: 'stop' | 'start' | 'reboot';

  @ApiPropertyOptional({ enum: ['soft', 'hard'], description: 'For reboot; default soft (hard after a timeout)' })
  @IsOptional()
  @IsIn(['soft', 'hard'])
  type?: 'soft' | 'hard';
}

export class InstanceListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'active', 'stopping', 'stopped', 'rebooting', 'deleting', 'deleted', 'error'] })
  @IsOptional()
  @IsIn(['pending', 'active', 'stopping', 'stopped', 'rebooting', 'deleting', 'deleted', 'error'])
  state?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ description: 'Host id' })
  @IsOptional()
  @IsString()
  @Matches(/^host-[0-9a-f]{20}$/, { message: 'host must be a host id' })
  host?: string;

  @ApiPropertyOptional({ description: 'Network id' })
  @IsOptional()
  @IsString()
  @Matches(/^net-[0-9a-f]{20}$/, { message: 'network must be a network id' })
  network?: string;
}
