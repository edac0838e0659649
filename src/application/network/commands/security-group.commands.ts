import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SecurityGroupRule, SecurityRule, securityGroupDecider, securityGroupStream } from '../../../domain/network/security-group/security-group.decider';
import { conflict } from '../../../domain/shared/domain-error';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../../compute/ports/instance-read-model.port';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite } from '../../identity/access';
import { claimKey, nameKey, releaseKey } from '../../shared/unique-names';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { NetworkQueries } from '../network.queries';
import { NETWORK_READ_MODEL, NetworkReadModel, SecurityGroupView } from '../ports/network-read-model.port';

export type RuleRequest = Omit<SecurityRule, 'portMin' | 'portMax'> & { portMin?: number | null; portMax?: number | null };

const groupNameStream = (projectId: string, name: string) => `name-security-group-${projectId}-${nameKey(name)}`;

const withRuleId = (ids: IdGenerator, r: RuleRequest): SecurityGroupRule => ({
  ruleId: ids.next('sgr'),
  direction: r.direction,
  protocol: r.protocol,
  portMin: r.portMin ?? null,
  portMax: r.portMax ?? null,
  cidr: r.cidr,
});

export class CreateSecurityGroup {
  constructor(
    readonly name: string,
    readonly rules: RuleRequest[],
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** A group with a name unique in its project (409 NameTaken) and its first rules. */
@CommandHandler(CreateSecurityGroup)
export class CreateSecurityGroupHandler implements ICommandHandler<CreateSecurityGroup, SecurityGroupView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
  ) {}

  async execute({ name, rules, principal, requestId }: CreateSecurityGroup): Promise<SecurityGroupView> {
    assertCanWrite(principal);
    const securityGroupId = this.ids.next('sg');
    const projectId = principal.projectId;
    const ctx = contextOf(principal, requestId);
    const command = {
      type: 'CreateSecurityGroup' as const,
      securityGroupId,
      projectId,
      name,
      rules: rules.map((r) => withRuleId(this.ids, r)),
      now: this.executor.now(),
    };
    // Validate before claiming the name, so that a bad rule leaves no claim behind.
    securityGroupDecider.decide(command, securityGroupDecider.initialState());
    const claim = groupNameStream(projectId, name);
    await claimKey(this.executor, claim, nameKey(name), securityGroupId, ctx);
    try {
      await this.executor.execute(securityGroupDecider, securityGroupStream(securityGroupId), command, ctx);
    } catch (error) {
      await releaseKey(this.executor, claim, nameKey(name), securityGroupId, ctx).catch(() => undefined);
      throw error;
    }
    return (await this.readModel.getSecurityGroup(securityGroupId, null)) as SecurityGroupView;
  }
}

export class ChangeSecurityGroupRules {
  constructor(
    readonly idOrName: string,
    readonly change: { add: RuleRequest } | { remove: string },
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Adds or removes one rule; the security-group worker carries the change to every port of the group. */
@CommandHandler(ChangeSecurityGroupRules)
export class ChangeSecurityGroupRulesHandler implements ICommandHandler<ChangeSecurityGroupRules, SecurityGroupView> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    private readonly queries: NetworkQueries,
  ) {}

  async execute({ idOrName, change, principal, requestId }: ChangeSecurityGroupRules): Promise<SecurityGroupView> {
    assertCanWrite(principal);
    const group = await this.queries.getSecurityGroup(principal, idOrName);
    const now = this.executor.now();
    const command =
      'add' in change ? { type: 'AddRule' as const, rule: withRuleId(this.ids, change.add), now } : { type: 'RemoveRule' as const, ruleId: change.remove, now };
    await this.executor.execute(securityGroupDecider, securityGroupStream(group.id), command, {
      ...contextOf(principal, requestId),
      projectId: group.projectId,
    });
    return (await this.readModel.getSecurityGroup(group.id, null)) as SecurityGroupView;
  }
}

export class DeleteSecurityGroup {
  constructor(
    readonly idOrName: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Deletes a group no port carries (409 SecurityGroupInUse otherwise) and frees its name. */
@CommandHandler(DeleteSecurityGroup)
export class DeleteSecurityGroupHandler implements ICommandHandler<DeleteSecurityGroup, void> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly queries: NetworkQueries,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
  ) {}

  async execute({ idOrName, principal, requestId }: DeleteSecurityGroup): Promise<void> {
    assertCanWrite(principal);
    const group = await this.queries.getSecurityGroup(principal, idOrName);
    const users = await this.instances.listPortsInSecurityGroup(group.id);
    if (users.length > 0) throw conflict('SecurityGroupInUse', `${users.length} port(s) still carry the group, e.g. ${users[0].id}`);
    const ctx = { ...contextOf(principal, requestId), projectId: group.projectId };
    await this.executor.execute(securityGroupDecider, securityGroupStream(group.id), { type: 'DeleteSecurityGroup', now: this.executor.now() }, ctx);
    await releaseKey(this.executor, groupNameStream(group.projectId, group.name), nameKey(group.name), group.id, ctx);
  }
}
