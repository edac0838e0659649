import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { OperationRecord, OperationRecords } from '../compute/public';
import { assertInScope } from '../identity/public';
import { Principal } from '../shared/command-context';
import { VOLUME_READ_MODEL, VolumeReadModel } from '../storage/public';
import { VOLUME_GOALS, operationStatus, towardsGoal } from './operation-status';

/** An asynchronous request as its caller follows it: its steps, status and errors, from the resources it is about. */
@Injectable()
export class OperationQueries {
  constructor(
    private readonly operations: OperationRecords,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
  ) {}

  async getOperation(p: Principal, id: string) {
    const operation = await this.operations.find(id);
    if (!operation) throw notFound('OperationNotFound', 'Operation not found');
    assertInScope(p, operation.projectId, { code: 'OperationNotFound', message: 'Operation not found' });
    if (operation.kind.startsWith('volume-')) return this.volumeOperation(operation);
    if (operation.kind.startsWith('snapshot-')) return this.snapshotOperation(operation);
    const ordered = await this.operations.instancesOf(operation);
    return {
      id: operation.id,
      kind: operation.kind,
      projectId: operation.projectId,
      status: operationStatus(operation.kind, ordered),
      createdAt: operation.createdAt,
      steps: ordered.map((i) => ({
        instanceId: i.id,
        name: i.name,
        state: i.state,
        taskState: i.taskState,
        error: i.failure,
        // A step failing and retried (or waiting on its host): its last error, and since when.
        ...(i.retrying ? { retrying: { since: i.retrying.since, lastError: i.retrying.reason, waiting: i.retrying.waiting } } : {}),
      })),
      errors: ordered.filter((i) => i.state === 'error').map((i) => ({ instanceId: i.id, message: i.failure })),
    };
  }

  /** A volume operation: running while the volume is in transition, then whether it reached what was asked. */
  private async volumeOperation(operation: OperationRecord) {
    const volumes = await Promise.all(operation.volumeIds.map((v) => this.volumes.getVolume(v)));
    return towardsGoal(operation, 'volumeId', operation.volumeIds, volumes, VOLUME_GOALS[operation.kind], ['creating', 'attaching', 'detaching', 'deleting']);
  }

  /** A snapshot operation: running while the snapshot is being taken or deleted, then whether it got there. */
  private async snapshotOperation(operation: OperationRecord) {
    const snapshots = await Promise.all(operation.snapshotIds.map((s) => this.volumes.getSnapshot(s)));
    const goal = operation.kind === 'snapshot-create' ? 'available' : 'deleted';
    return towardsGoal(operation, 'snapshotId', operation.snapshotIds, snapshots, goal, ['creating', 'deleting']);
  }
}
