import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { VolumeCommand, volumeDecider, volumeStream } from '../../domain/storage/volume/volume.decider';
import { Operations } from '../compute/public';
import { assertCanWrite, assertInScope } from '../identity/public';
import { ID_GENERATOR, IdGenerator } from '../ports/id-generator.port';
import { Principal, contextOf } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';

export type SnapshotAccepted = {
  operation: { id: string; status: 'running'; kind: 'snapshot-create' | 'snapshot-delete' };
  snapshot: { id: string; volumeId: string; status: string };
};

const VOLUME_NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

/**
 * Snapshots are recorded on their volume's stream (so "the volume has snapshots" is decided
 * exactly when it is deleted); the volume worker takes and deletes them on the block storage.
 */
@Injectable()
export class SnapshotChanges {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly operations: Operations,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async record(
    request: { volumeId: string; principal: Principal; requestId: string | null; kind: SnapshotAccepted['operation']['kind']; snapshotId: string },
    command: VolumeCommand,
  ): Promise<SnapshotAccepted> {
    const { volumeId, principal, requestId, kind, snapshotId } = request;
    assertCanWrite(principal);
    // The volume's stream, not the read model: exact for a volume created a moment ago.
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId), { cached: true });
    if (state.status === 'absent' || state.status === 'deleted') throw notFound(VOLUME_NOT_FOUND.code, VOLUME_NOT_FOUND.message);
    assertInScope(principal, state.projectId, VOLUME_NOT_FOUND);
    const operationId = this.ids.next('op');
    const ctx = { ...contextOf(principal, requestId), projectId: state.projectId, correlationId: operationId };
    const recorded = await this.executor.execute(volumeDecider, volumeStream(volumeId), command, ctx, { waitForReadModels: false });
    await this.operations.start({ operationId, projectId: state.projectId, kind, instanceIds: [], snapshotIds: [snapshotId] }, ctx, {
      waitForReadModels: true,
    });
    const status = recorded.state.status === 'absent' ? 'deleted' : (recorded.state.snapshots[snapshotId] ?? 'deleted');
    return { operation: { id: operationId, status: 'running', kind }, snapshot: { id: snapshotId, volumeId, status } };
  }

  newId(): string {
    return this.ids.next('snap');
  }
}
