import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { FLAVOR_LIMITS } from '../../../domain/compute/flavor/flavor.decider';
import { NAME_MESSAGE, NAME_PATTERN, NO_CONTROL_CHARACTERS } from '../shared/common.dto';

const name = (target: object, key: string) => {
  ApiProperty({ example: 'm1.small' })(target, key);
  IsString()(target, key);
  Matches(NAME_PATTERN, { message: `${key} ${NAME_MESSAGE}` })(target, key);
};

export class CreateFlavorDto {
  @name name!: string;

  @ApiProperty({ minimum: 1, maximum: FLAVOR_LIMITS.vcpus })
  @IsInt()
  @Min(1)
  @Max(FLAVOR_LIMITS.vcpus)
  vcpus!: number;

  @ApiProperty({ minimum: 64, maximum: FLAVOR_LIMITS.ramMiB })
  @IsInt()
  @Min(64)
  @Max(FLAVOR_LIMITS.ramMiB)
  ramMiB!: number;

  @ApiProperty({ minimum: 0, maximum: FLAVOR_LIMITS.diskGiB })
  @IsInt()
  @Min(0)
  @Max(FLAVOR_LIMITS.diskGiB)
  diskGiB!: number;
}

export class CreateImageDto {
  @name name!: string;

  @ApiProperty({ example: 'linux' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'os must be 1 to 32 letters, digits, dots, dashes or underscores' })
  os!: string;

  @ApiProperty({ minimum: 0, maximum: 65536 })
  @IsInt()
  @Min(0)
  @Max(65536)
  minDiskGiB!: number;

  @ApiProperty({ description: 'Where the image comes from: a file path or URL for real hosts', example: '/var/lib/orchestrator/images/tiny.qcow2' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'source must not contain control characters' })
  source!: string;
}

export class ImportKeyPairDto {
  @name name!: string;

  @ApiProperty({ example: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… alice@laptop' })
  @IsString()
  @MinLength(16)
  @MaxLength(16384)
  publicKey!: string;
}

export class RegisterHostDto {
  @name name!: string;

  @ApiProperty({ enum: ['simulated', 'libvirt'] })
  @IsIn(['simulated', 'libvirt'])
  driver!: 'simulated' | 'libvirt';

  @ApiPropertyOptional({ example: 'qemu:///system' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9+.-]*:\/\/[^\s\p{Cc}]{0,255}$/u, { message: 'uri must be a URI such as qemu:///system' })
  uri?: string;

  @ApiProperty({ minimum: 1, maximum: 4096 })
  @IsInt()
  @Min(1)
  @Max(4096)
  vcpus!: number;

  @ApiProperty({ minimum: 64, maximum: 64 * 1024 * 1024 })
  @IsInt()
  @Min(64)
  @Max(64 * 1024 * 1024)
  ramMiB!: number;

  @ApiProperty({ minimum: 1, maximum: 1024 * 1024 })
  @IsInt()
  @Min(1)
  @Max(1024 * 1024)
  diskGiB!: number;

  @ApiPropertyOptional({ example: 'nova', description: 'Availability zone (default nova)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'zone must be 1 to 64 letters, digits, dots, dashes or underscores' })
  zone?: string;
}
