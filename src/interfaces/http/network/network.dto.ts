import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { VLAN_MAX, VLAN_MIN } from '../../../domain/network/network/network.decider';
import { NAME_MESSAGE, NAME_PATTERN } from '../shared/common.dto';

export class CreateNetworkDto {
  @ApiProperty({ example: 'private' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @ApiPropertyOptional({ example: '10.0.0.0/24', description: "IPv4, prefix /16 to /29: the network's one subnet (without it the network has none yet)" })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: 'cidr must look like 10.0.0.0/24' })
  cidr?: string;

  @ApiPropertyOptional({ example: '10.0.0.1', description: 'Default: the first host address' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,3}(\.\d{1,3}){3}$/, { message: 'gateway must be an IPv4 address' })
  gateway?: string;

  @ApiPropertyOptional({ minimum: VLAN_MIN, maximum: VLAN_MAX, description: 'Admin only; default: the next free VLAN of the pool' })
  @IsOptional()
  @IsInt()
  @Min(VLAN_MIN)
  @Max(VLAN_MAX)
  vlan?: number;

  @ApiPropertyOptional({ description: "Admin only: an external network (routers' gateways), seen by every project" })
  @IsOptional()
  @IsBoolean()
  external?: boolean;

  @ApiPropertyOptional({ description: 'Admin only: a network every project may use' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

export class AssociateFloatingIpDto {
  @ApiProperty({ example: 'inst-…' })
  @IsString()
  @Matches(/^inst-[A-Za-z0-9-]{1,64}$/, { message: 'instanceId must be an instance id' })
  instanceId!: string;
}
