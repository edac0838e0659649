import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, MaxLength, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_VOLUME_GIB } from '../../../domain/storage/volume/volume.decider';
import { NAME_MESSAGE, NAME_PATTERN } from '../shared/common.dto';

export class CreateVolumeDto {
  @ApiProperty({ example: 'data' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_VOLUME_GIB })
  @IsInt()
  @Min(1)
  @Max(MAX_VOLUME_GIB)
  sizeGiB!: number;

  @ApiPropertyOptional({
    description: 'Restore from this snapshot (available, of the same project; sizeGiB at least its size)',
    example: 'snap-0123456789abcdef0123',
  })
  @IsOptional()
  @IsString()
  @Matches(/^snap-[0-9a-f]{20}$/, { message: 'snapshotId must be a snapshot id' })
  snapshotId?: string;

  @ApiPropertyOptional({ description: 'Made from this image (active; sizeGiB at least its minimum disk): a bootable volume', example: 'img-…' })
  @IsOptional()
  @IsString()
  @Matches(/^img-[A-Za-z0-9-]{1,64}$/, { message: 'imageId must be an image id' })
  imageId?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;
}

export class RenameVolumeDto {
  @ApiPropertyOptional({ example: 'data' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;
}

export class ExtendVolumeDto {
  @ApiProperty({ minimum: 2, maximum: MAX_VOLUME_GIB, description: 'The new size, larger than the current one' })
  @IsInt()
  @Min(2)
  @Max(MAX_VOLUME_GIB)
  sizeGiB!: number;
}

export class CreateSnapshotDto {
  @ApiProperty({ example: 'before-upgrade' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

export class AttachVolumeDto {
  @ApiProperty({ example: 'inst-0123456789abcdef0123' })
  @IsString()
  @Matches(/^inst-[0-9a-f]{20}$/, { message: 'instanceId must be an instance id' })
  instanceId!: string;
}
