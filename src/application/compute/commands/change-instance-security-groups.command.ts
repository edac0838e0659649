import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { NetworkAttachments, NetworkDirectory } from '../../network/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';

const NOT_FOUND = { code: 'InstanceNotFound', message: 'Instance not found' };

/**
 * Adds a security group to an instance, or removes one (by id or name in its project): recorded on
 * the instance (what a respawn plugs its ports with) and on each of its ports (whose switches the
 * security-group worker updates). Adding a group it has changes nothing; removing one it lacks is 404.
 * Repeating the command puts the ports right should a port's change have failed before.
 */
export class ChangeInstanceSecurityGroups {
  constructor(
    readonly instanceId: string,
    readonly change: { add: string } | { remove: string },
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ChangeInstanceSecurityGroups)
export class ChangeInstanceSecurityGroupsHandler implements ICommandHandler<ChangeInstanceSecurityGroups, string[]> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly networks: NetworkDirectory,
    private readonly attachments: NetworkAttachments,
  ) {}

  async execute({ instanceId, change, principal, requestId }: ChangeInstanceSecurityGroups): Promise<string[]> {
    assertCanWrite(principal);
    const { state } = await this.executor.load(instanceDecider, instanceStream(instanceId));
    if (state.status !== 'present' || state.vmState === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, state.projectId, NOT_FOUND);
    const [groupId] = await this.networks.resolveSecurityGroups(['add' in change ? change.add : change.remove], state.projectId);
    const current = state.request.securityGroups;
    if ('remove' in change && !current.includes(groupId))
      throw notFound('SecurityGroupNotAssociated', `Security group ${change.remove} is not associated with the instance`);
    const groups = 'add' in change ? [...new Set([...current, groupId])] : current.filter((g) => g !== groupId);
    const ctx = { ...contextOf(principal, requestId), projectId: state.projectId };
    const after = await this.executor.execute(
      instanceDecider,
      instanceStream(instanceId),
      { type: 'ChangeSecurityGroups', securityGroups: groups, now: this.executor.now() },
      ctx,
    );
    const ports = after.state.status === 'present' ? after.state.attachments.map((a) => a.portId) : [];
    await this.attachments.setSecurityGroups(ports, groups, ctx);
    return groups;
  }
}
