import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeSecurityGroupRules } from '../../application/network/commands/change-security-group-rules.command';
import { CreateSecurityGroup } from '../../application/network/commands/create-security-group.command';
import { DeleteSecurityGroup } from '../../application/network/commands/delete-security-group.command';
import { NetworkQueries } from '../../application/network/network.queries';
import { SecurityGroupView } from '../../application/network/ports/network-read-model.port';
import { Principal } from '../../application/shared/command-context';
import { allItems } from '../../application/shared/paging';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { ec2Invalid, withCodes } from './ec2-error';
import { Ec2Ids, ec2IdOf, vpcIdOf } from './ec2-ids';
import { assertKnownFilters, passesFilters, tagFilterValues } from './ec2-params';
import { tagSetOf } from './ec2-instance-view';
import { permissionItem, rulesOfRequest, sameAsRequested } from './ec2-security-group-rules';

const FILTERS = new Set(['group-id', 'group-name', 'vpc-id', 'owner-id', 'description']);

/** Security groups (of the project's default VPC) and their ingress and egress permissions. */
@Injectable()
export class Ec2SecurityGroupActions implements Ec2ActionGroup {
  readonly actions = {
    CreateSecurityGroup: changing((call) => this.create(call)),
    DescribeSecurityGroups: reading((call) => this.describe(call)),
    DeleteSecurityGroup: changing((call) => this.remove(call)),
    AuthorizeSecurityGroupIngress: changing((call) => this.authorize(call, 'ingress')),
    AuthorizeSecurityGroupEgress: changing((call) => this.authorize(call, 'egress')),
    RevokeSecurityGroupIngress: changing((call) => this.revoke(call, 'ingress')),
    RevokeSecurityGroupEgress: changing((call) => this.revoke(call, 'egress')),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly network: NetworkQueries,
    private readonly ids: Ec2Ids,
  ) {}

  private async create({ params, principal, requestId }: Ec2Call) {
    const name = params.required('GroupName');
    params.required('GroupDescription');
    // EC2 gives a new group one egress rule: everything, everywhere.
    const created: SecurityGroupView = await withCodes({ NameTaken: 'InvalidGroup.Duplicate', SecurityGroupExists: 'InvalidGroup.Duplicate' }, () =>
      this.commands.execute(new CreateSecurityGroup(name, [{ direction: 'egress', protocol: 'any', cidr: '0.0.0.0/0' }], principal, requestId)),
    );
    return { return: true, groupId: ec2IdOf('security-group', created.id) };
  }

  private async describe({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, FILTERS);
    const byName = new Set(params.list('GroupName'));
    const groups = (await allItems((page) => this.network.listSecurityGroups(withinOwnProject(principal), page))).filter(
      (g) => g.projectId === principal.projectId,
    );
    const byId = await this.ids.visibleAmong('security-group', params.list('GroupId'), new Set(groups.map((g) => g.id)));
    for (const name of byName)
      if (!groups.some((g) => g.name === name)) throw ec2Invalid('InvalidGroup.NotFound', `The security group '${name}' does not exist`);
    const vpcId = vpcIdOf(principal.projectId);
    const shown = groups.filter((g) => {
      if (byId.size > 0 && !byId.has(g.id)) return false;
      if (byName.size > 0 && !byName.has(g.name)) return false;
      const values: Record<string, string> = {
        'group-id': ec2IdOf('security-group', g.id),
        'group-name': g.name,
        'vpc-id': vpcId,
        'owner-id': g.projectId,
        description: g.name,
        ...tagFilterValues(g.metadata),
      };
      return passesFilters(filters, values);
    });
    return {
      securityGroupInfo: shown.map((g) => ({
        ownerId: g.projectId,
        groupId: ec2IdOf('security-group', g.id),
        groupName: g.name,
        groupDescription: g.name,
        vpcId,
        ipPermissions: g.rules.filter((r) => r.direction === 'ingress').map((r) => permissionItem(r, g.projectId)),
        ipPermissionsEgress: g.rules.filter((r) => r.direction === 'egress').map((r) => permissionItem(r, g.projectId)),
        tagSet: tagSetOf(g.metadata),
      })),
    };
  }

  private async remove({ params, principal, requestId }: Ec2Call) {
    const group = await this.groupOf(params.get('GroupId'), params.get('GroupName'), principal);
    await this.commands.execute(new DeleteSecurityGroup(group.id, principal, requestId));
    return { return: true };
  }

  private async authorize({ params, principal, requestId }: Ec2Call, direction: 'ingress' | 'egress') {
    const group = await this.groupOf(params.get('GroupId'), params.get('GroupName'), principal);
    const rules = await rulesOfRequest(params, direction, this.ids);
    for (const rule of rules) {
      if (group.rules.some((r) => sameAsRequested(r, rule))) {
        throw ec2Invalid('InvalidPermission.Duplicate', `the specified rule "peer: ${rule.remoteGroupId ?? rule.cidr}, ${rule.protocol}" already exists`);
      }
    }
    for (const rule of rules) await this.commands.execute(new ChangeSecurityGroupRules(group.id, { add: rule }, principal, requestId));
    return { return: true };
  }

  private async revoke({ params, principal, requestId }: Ec2Call, direction: 'ingress' | 'egress') {
    const group = await this.groupOf(params.get('GroupId'), params.get('GroupName'), principal);
    const rules = await rulesOfRequest(params, direction, this.ids);
    const matched = rules.map((asked) => group.rules.find((r) => sameAsRequested(r, asked)));
    if (matched.some((r) => r === undefined)) {
      throw ec2Invalid('InvalidPermission.NotFound', 'The specified rule does not exist in this security group');
    }
    for (const rule of matched) await this.commands.execute(new ChangeSecurityGroupRules(group.id, { remove: rule!.ruleId }, principal, requestId));
    return { return: true };
  }

  private async groupOf(groupId: string | undefined, groupName: string | undefined, p: Principal): Promise<SecurityGroupView> {
    if (groupId) return this.network.getSecurityGroup(withinOwnProject(p), await this.ids.ours('security-group', groupId));
    if (groupName) {
      const groups = await allItems((page) => this.network.listSecurityGroups(withinOwnProject(p), page));
      const found = groups.find((g) => g.name === groupName && g.projectId === p.projectId);
      if (!found) throw ec2Invalid('InvalidGroup.NotFound', `The security group '${groupName}' does not exist in the default VPC`);
      return found;
    }
    throw ec2Invalid('MissingParameter', 'The request must contain the parameter GroupId or GroupName');
  }
}
