import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound } from '../../../domain/shared/domain-error';
import { Metadata, MetadataChange } from '../../../domain/shared/metadata';
import { volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { assertCanWrite, assertInScope } from '../../identity/public';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

/** Changes the metadata of a volume (`snapshotId` null) or of one of its snapshots; answers it as it now is. */
export class ChangeVolumeMetadata {
  constructor(
    readonly volumeId: string,
    readonly snapshotId: string | null,
    readonly change: MetadataChange,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

@CommandHandler(ChangeVolumeMetadata)
export class ChangeVolumeMetadataHandler implements ICommandHandler<ChangeVolumeMetadata, Metadata> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ volumeId, snapshotId, change, principal, requestId }: ChangeVolumeMetadata): Promise<Metadata> {
    assertCanWrite(principal);
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (state.status === 'absent' || state.status === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, state.projectId, NOT_FOUND);
    const after = await this.executor.execute(
      volumeDecider,
      volumeStream(volumeId),
      { type: 'ChangeMetadata', snapshotId, change, now: this.executor.now() },
      { ...contextOf(principal, requestId), projectId: state.projectId },
    );
    if (after.state.status === 'absent') return {};
    return snapshotId === null ? after.state.metadata : (after.state.snapshotMetadata[snapshotId] ?? {});
  }
}
