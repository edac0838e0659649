import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { operationDecider, operationStream } from '../../../domain/compute/operation/operation.decider';
import { notFound } from '../../../domain/shared/domain-error';
import { VolumeCommand, volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite, assertInScope } from '../../identity/access';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';

export type SnapshotAccepted = {
  operation: { id: string; status: 'running'; kind: 'snapshot-create' | 'snapshot-delete' };
  snapshot: { id: string; volumeId: string; status: string };
};

const VOLUME_NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

export class CreateSnapshot {
  constructor(
    readonly volumeId: string,
    readonly name: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

export class DeleteSnapshot {
  constructor(
    readonly volumeId: string,
    readonly snapshotId: string,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/**
 * Snapshots are recorded on their volume's stream (so "the volume has snapshots" is decided
 * exactly when it is deleted); the volume worker takes and deletes them on the block storage.
 */
async function recordSnapshotChange(
  executor: CommandExecutor,
  ids: IdGenerator,
  request: { volumeId: string; principal: Principal; requestId: string | null; kind: SnapshotAccepted['operation']['kind']; snapshotId: string },
  command: VolumeCommand,
): Promise<SnapshotAccepted> {
  const { volumeId, principal, requestId, kind, snapshotId } = request;
  assertCanWrite(principal);
  // The volume's stream, not the read model: exact for a volume created a moment ago.
  const { state } = await executor.load(volumeDecider, volumeStream(volumeId), { cached: true });
  if (state.status === 'absent' || state.status === 'deleted') throw notFound(VOLUME_NOT_FOUND.code, VOLUME_NOT_FOUND.message);
  assertInScope(principal, state.projectId, VOLUME_NOT_FOUND);
  const operationId = ids.next('op');
  const ctx = { ...contextOf(principal, requestId), projectId: state.projectId, correlationId: operationId };
  const recorded = await executor.execute(volumeDecider, volumeStream(volumeId), command, ctx, { waitForReadModels: false });
  await executor.execute(
    operationDecider,
    operationStream(operationId),
    { type: 'StartOperation', operationId, projectId: state.projectId, kind, instanceIds: [], snapshotIds: [snapshotId], now: executor.now() },
    ctx,
  );
  const status = recorded.state.status === 'absent' ? 'deleted' : (recorded.state.snapshots[snapshotId] ?? 'deleted');
  return { operation: { id: operationId, status: 'running', kind }, snapshot: { id: snapshotId, volumeId, status } };
}

@CommandHandler(CreateSnapshot)
export class CreateSnapshotHandler implements ICommandHandler<CreateSnapshot, SnapshotAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ volumeId, name, principal, requestId }: CreateSnapshot): Promise<SnapshotAccepted> {
    const snapshotId = this.ids.next('snap');
    return recordSnapshotChange(
      this.executor,
      this.ids,
      { volumeId, principal, requestId, kind: 'snapshot-create', snapshotId },
      { type: 'RequestSnapshot', snapshotId, name, now: this.executor.now() },
    );
  }
}

@CommandHandler(DeleteSnapshot)
export class DeleteSnapshotHandler implements ICommandHandler<DeleteSnapshot, SnapshotAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ volumeId, snapshotId, principal, requestId }: DeleteSnapshot): Promise<SnapshotAccepted> {
    return recordSnapshotChange(
      this.executor,
      this.ids,
      { volumeId, principal, requestId, kind: 'snapshot-delete', snapshotId },
      { type: 'RequestSnapshotDelete', snapshotId, now: this.executor.now() },
    );
  }
}
