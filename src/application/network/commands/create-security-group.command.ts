import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { securityGroupDecider, securityGroupStream } from '../../../domain/network/security-group/security-group.decider';
import { assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { claimKey, nameKey, releaseKey } from '../../shared/unique-names';
import { groupNameStream } from '../network-claims';
import { NetworkQueries } from '../network.queries';
import { NETWORK_READ_MODEL, NetworkReadModel, SecurityGroupView } from '../ports/network-read-model.port';
import { RuleRequest, assertRemoteGroupsVisible, withRuleId } from '../security-group-rules';

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
    private readonly queries: NetworkQueries,
  ) {}

  async execute({ name, rules, principal, requestId }: CreateSecurityGroup): Promise<SecurityGroupView> {
    assertCanWrite(principal);
    await assertRemoteGroupsVisible(rules, (id) => this.queries.getSecurityGroup(principal, id));
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
