import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { ChangeSecurityGroupRules } from '../../../application/network/commands/change-security-group-rules.command';
import { CreateSecurityGroup } from '../../../application/network/commands/create-security-group.command';
import { DeleteSecurityGroup } from '../../../application/network/commands/delete-security-group.command';
import { NetworkQueries } from '../../../application/network/network.queries';
import { SecurityGroupView } from '../../../application/network/ports/network-read-model.port';
import { RuleRequest } from '../../../application/network/security-group-rules';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { isObject } from '../shared/openstack-body';
import { RawQuery } from '../shared/openstack-query';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { neutronListing } from './neutron-filter';
import { neutronRule, neutronSecurityGroup } from './neutron-resource-views';

/** What Neutron gives a new group: egress to anywhere (IPv4; there is no IPv6 here). */
const DEFAULT_EGRESS: RuleRequest = { direction: 'egress', protocol: 'any', cidr: '0.0.0.0/0' };
const PROTOCOLS: Record<string, RuleRequest['protocol']> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', any: 'any' };

/** `{"security_group_rule": {...}}`, read: protocol by name or number, a port range, an IPv4 prefix or a remote group. */
export function ruleOf(body: unknown): { groupId: string; rule: RuleRequest } {
  const r = isObject(body) ? body.security_group_rule : undefined;
  if (!isObject(r) || typeof r.security_group_id !== 'string') throw invalid('BadRequest', 'Expected {"security_group_rule": {"security_group_id": ...}}');
  if (r.direction !== 'ingress' && r.direction !== 'egress') throw invalid('BadRequest', 'direction must be ingress or egress');
  if (r.ethertype !== undefined && r.ethertype !== 'IPv4') throw invalid('BadRequest', 'Only IPv4 rules exist here');
  const remoteGroupId = r.remote_group_id === undefined || r.remote_group_id === null ? undefined : r.remote_group_id;
  if (remoteGroupId !== undefined && (typeof remoteGroupId !== 'string' || (r.remote_ip_prefix !== undefined && r.remote_ip_prefix !== null))) {
    throw invalid('BadRequest', 'remote_group_id is a group id, and goes without remote_ip_prefix');
  }
  const protocol = r.protocol === undefined || r.protocol === null ? 'any' : PROTOCOLS[String(r.protocol).toLowerCase()];
  if (!protocol) throw invalid('BadRequest', `Protocol ${String(r.protocol)} is not supported (tcp, udp, icmp or any)`);
  const port = (v: unknown, field: string) => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid('BadRequest', `${field} must be an integer`);
    return v;
  };
  const cidr = r.remote_ip_prefix === undefined || r.remote_ip_prefix === null ? '0.0.0.0/0' : r.remote_ip_prefix;
  if (typeof cidr !== 'string') throw invalid('BadRequest', 'remote_ip_prefix must be an IPv4 prefix');
  return {
    groupId: r.security_group_id,
    rule: {
      direction: r.direction,
      protocol,
      portMin: port(r.port_range_min, 'port_range_min'),
      portMax: port(r.port_range_max, 'port_range_max'),
      cidr,
      ...(remoteGroupId ? { remoteGroupId: remoteGroupId as string } : {}),
    },
  };
}

/** Neutron's security groups and rules over Network's (the security-group worker carries rule changes to the ports). */
@ApiExcludeController()
@Controller('network/v2.0')
export class NeutronSecurityGroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly network: NetworkQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get('security-groups')
  async groups(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    return neutronListing('security_groups', (await this.all(p)).map(neutronSecurityGroup), q, req, baseUrlOf(req, this.settings));
  }

  @Get('security-groups/:id')
  async group(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { security_group: neutronSecurityGroup(await this.byId(p, id)) };
  }

  @Post('security-groups')
  @HttpCode(201)
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const group = isObject(body) ? body.security_group : undefined;
    if (!isObject(group) || typeof group.name !== 'string' || !NAME_PATTERN.test(group.name))
      throw invalid('BadRequest', `security_group.name ${NAME_MESSAGE}`);
    const created: SecurityGroupView = await this.commands.execute(new CreateSecurityGroup(group.name, [DEFAULT_EGRESS], p, r));
    return { security_group: neutronSecurityGroup(created) };
  }

  @Delete('security-groups/:id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteSecurityGroup((await this.byId(p, id)).id, p, r));
  }

  @Get('security-group-rules')
  async rules(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const rules = (await this.all(p)).flatMap((g) => g.rules.map((rule) => neutronRule(g.id, g.projectId, rule)));
    return neutronListing('security_group_rules', rules, q, req, baseUrlOf(req, this.settings));
  }

  @Get('security-group-rules/:id')
  async rule(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    const { group, rule } = await this.ruleById(p, id);
    return { security_group_rule: neutronRule(group.id, group.projectId, rule) };
  }

  @Post('security-group-rules')
  @HttpCode(201)
  async addRule(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const { groupId, rule } = ruleOf(body);
    const before = new Set((await this.byId(p, groupId)).rules.map((x) => x.ruleId));
    const after: SecurityGroupView = await this.commands.execute(new ChangeSecurityGroupRules(groupId, { add: rule }, p, r));
    const added = after.rules.find((x) => !before.has(x.ruleId));
    if (!added) throw invalid('BadRequest', 'The rule was not added');
    return { security_group_rule: neutronRule(after.id, after.projectId, added) };
  }

  @Delete('security-group-rules/:id')
  @HttpCode(204)
  async removeRule(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    const { group } = await this.ruleById(p, id);
    await this.commands.execute(new ChangeSecurityGroupRules(group.id, { remove: id }, p, r));
  }

  private all(p: Principal): Promise<SecurityGroupView[]> {
    return allItems((page) => this.network.listSecurityGroups(p, page));
  }

  /** By id only (a name here is a 404, and the clients then list with `?name=`). */
  private async byId(p: Principal, id: string): Promise<SecurityGroupView> {
    if (!id.startsWith('sg-')) throw notFound('SecurityGroupNotFound', `Security group ${id} could not be found.`);
    return this.network.getSecurityGroup(p, id);
  }

  private async ruleById(p: Principal, id: string) {
    for (const group of await this.all(p)) {
      const rule = group.rules.find((x) => x.ruleId === id);
      if (rule) return { group, rule };
    }
    throw notFound('SecurityGroupRuleNotFound', `Security group rule ${id} could not be found.`);
  }
}
