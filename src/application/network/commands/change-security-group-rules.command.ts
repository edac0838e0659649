import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { securityGroupDecider, securityGroupStream } from '../../../domain/network/security-group/security-group.decider';
import { assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { NetworkQueries } from '../network.queries';
import { NETWORK_READ_MODEL, NetworkReadModel, SecurityGroupView } from '../ports/network-read-model.port';
import { RuleRequest, assertRemoteGroupsVisible, withRuleId } from '../security-group-rules';

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
    if ('add' in change) await assertRemoteGroupsVisible([change.add], (id) => this.queries.getSecurityGroup(principal, id));
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
