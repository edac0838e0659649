import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangeSecurityGroupRules } from '../../../application/network/commands/change-security-group-rules.command';
import { CreateSecurityGroup } from '../../../application/network/commands/create-security-group.command';
import { DeleteSecurityGroup } from '../../../application/network/commands/delete-security-group.command';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { CreateSecurityGroupDto, SecurityRuleDto } from './security-group.dto';

@ApiTags('network')
@ApiBearerAuth()
@Controller('v1/security-groups')
export class SecurityGroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: NetworkQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a security group: ingress/egress rules by protocol, port range and CIDR, applied to the ports that carry it' })
  create(@Body() b: CreateSecurityGroupDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new CreateSecurityGroup(b.name, b.rules ?? [], p, r));
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listSecurityGroups(p, pageOf(q));
  }

  @Get(':idOrName')
  get(@Param('idOrName') idOrName: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getSecurityGroup(p, idOrName);
  }

  @Post(':idOrName/rules')
  @ApiOperation({ summary: 'Add a rule; every port of the group gets it at once (409 RuleExists for a duplicate)' })
  addRule(@Param('idOrName') idOrName: string, @Body() b: SecurityRuleDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ChangeSecurityGroupRules(idOrName, { add: b }, p, r));
  }

  @Delete(':idOrName/rules/:ruleId')
  @ApiOperation({ summary: 'Remove a rule from the group and from its ports' })
  removeRule(@Param('idOrName') idOrName: string, @Param('ruleId') ruleId: string, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ChangeSecurityGroupRules(idOrName, { remove: ruleId }, p, r));
  }

  @Delete(':idOrName')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a group no port carries (409 SecurityGroupInUse otherwise)' })
  async remove(@Param('idOrName') idOrName: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteSecurityGroup(idOrName, p, r));
  }
}
