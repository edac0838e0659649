import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { TagsChange } from '../../../domain/compute/instance/instance-details';
import { MetadataChange } from '../../../domain/shared/metadata';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { InstanceCommand } from '../../../domain/compute/instance/instance.events';
import { notFound } from '../../../domain/shared/domain-error';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';

const NOT_FOUND = { code: 'InstanceNotFound', message: 'Instance not found' };

/** A change of an instance's metadata (set, merged, keys removed) or of its tags. */
export type DetailsChange = ({ of: 'metadata' } & MetadataChange) | ({ of: 'tags' } & TagsChange);
export type InstanceDetails = { metadata: Record<string, string>; tags: string[] };

/** Changes an instance's metadata or tags (recorded at once, nothing for a worker to do); answers both as they now are. */
export class ChangeInstanceDetails {
  constructor(
    readonly instanceId: string,
    readonly change: DetailsChange,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ChangeInstanceDetails)
export class ChangeInstanceDetailsHandler implements ICommandHandler<ChangeInstanceDetails, InstanceDetails> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ instanceId, change, principal, requestId }: ChangeInstanceDetails): Promise<InstanceDetails> {
    assertCanWrite(principal);
    const { state } = await this.executor.load(instanceDecider, instanceStream(instanceId));
    if (state.status !== 'present' || state.vmState === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, state.projectId, NOT_FOUND);
    const now = this.executor.now();
    const command: InstanceCommand =
      change.of === 'metadata'
        ? { type: 'ChangeMetadata', set: change.set, unset: change.unset, replace: change.replace, now }
        : { type: 'ChangeTags', add: change.add, remove: change.remove, replace: change.replace, now };
    const after = await this.executor.execute(instanceDecider, instanceStream(instanceId), command, {
      ...contextOf(principal, requestId),
      projectId: state.projectId,
    });
    return after.state.status === 'present' ? { metadata: after.state.metadata, tags: after.state.tags } : { metadata: {}, tags: [] };
  }
}
