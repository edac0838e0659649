import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { MAX_RULES_PER_GROUP } from '../../../domain/network/security-group/security-group.decider';
import { NAME_MESSAGE, NAME_PATTERN } from '../shared/common.dto';

export class SecurityRuleDto {
  @ApiProperty({ enum: ['ingress', 'egress'] })
  @IsIn(['ingress', 'egress'])
  direction!: 'ingress' | 'egress';

  @ApiProperty({ enum: ['tcp', 'udp', 'icmp', 'any'] })
  @IsIn(['tcp', 'udp', 'icmp', 'any'])
  protocol!: 'tcp' | 'udp' | 'icmp' | 'any';

  @ApiPropertyOptional({ minimum: 1, maximum: 65535, description: 'tcp/udp only; with portMax' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  portMin?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  portMax?: number;

  @ApiProperty({ example: '0.0.0.0/0', description: 'Where the traffic comes from (ingress) or goes to (egress); 0.0.0.0/0 with remoteGroupId' })
  @IsString()
  @MaxLength(18)
  cidr!: string;

  @ApiPropertyOptional({ example: 'sg-…', description: "Instead of a range: the addresses of that group's ports, as they come and go" })
  @IsOptional()
  @IsString()
  @Matches(/^sg-[A-Za-z0-9-]{1,64}$/, { message: 'remoteGroupId must be a security group id' })
  remoteGroupId?: string;
}

export class CreateSecurityGroupDto {
  @ApiProperty({ example: 'web' })
  @IsString()
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @ApiPropertyOptional({ type: [SecurityRuleDto], description: 'Allowed traffic; without rules, ingress from other networks is dropped' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RULES_PER_GROUP)
  @ValidateNested({ each: true })
  @Type(() => SecurityRuleDto)
  rules?: SecurityRuleDto[];
}
