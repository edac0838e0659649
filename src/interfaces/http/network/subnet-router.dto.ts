import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { NAME_MESSAGE, NAME_PATTERN } from '../shared/common.dto';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export class AddressRangeDto {
  @ApiProperty({ example: '10.0.0.10' }) @IsString() @Matches(IPV4, { message: 'start must be an IPv4 address' }) start!: string;
  @ApiProperty({ example: '10.0.0.200' }) @IsString() @Matches(IPV4, { message: 'end must be an IPv4 address' }) end!: string;
}

export class HostRouteDto {
  @ApiProperty({ example: '192.168.0.0/16' }) @IsString() destination!: string;
  @ApiProperty({ example: '10.0.0.254' }) @IsString() @Matches(IPV4, { message: 'nexthop must be an IPv4 address' }) nexthop!: string;
}

export class CreateSubnetDto {
  @ApiPropertyOptional({ example: 'private-subnet' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name?: string;

  @ApiProperty({ example: '10.0.1.0/24', description: "IPv4, prefix /16 to /29; must not overlap the network's other subnets" })
  @IsString()
  @Matches(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { message: 'cidr must look like 10.0.0.0/24' })
  cidr!: string;

  @ApiPropertyOptional({ example: '10.0.1.1', nullable: true, description: 'Default: the first host address; null: no gateway' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(IPV4, { message: 'gateway must be an IPv4 address or null' })
  gateway?: string | null;

  @ApiPropertyOptional({ type: [AddressRangeDto], description: 'Default: every host address but the gateway' })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AddressRangeDto)
  allocationPools?: AddressRangeDto[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enableDhcp?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['10.0.0.53'] })
  @IsOptional()
  @IsArray()
  @Matches(IPV4, { each: true, message: 'dnsNameservers must be IPv4 addresses' })
  dnsNameservers?: string[];

  @ApiPropertyOptional({ type: [HostRouteDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => HostRouteDto)
  hostRoutes?: HostRouteDto[];
}

export class CreateRouterDto {
  @ApiProperty({ example: 'router1' }) @IsString() @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` }) name!: string;
}

export class RouterGatewayDto {
  @ApiProperty({ example: 'public', description: 'An external network by id or name (`public`: the floating-IP pool)' }) @IsString() network!: string;
}

export class RouterInterfaceDto {
  @ApiProperty({ example: 'subnet-…' }) @IsString() @Matches(/^subnet-[A-Za-z0-9-]{1,64}$/, { message: 'subnetId must be a subnet id' }) subnetId!: string;
}
