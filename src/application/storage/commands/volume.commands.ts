import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { operationDecider, operationStream } from '../../../domain/compute/operation/operation.decider';
import { projectDecider, projectStream } from '../../../domain/identity/project/project.decider';
import { VolumeCommand, volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { conflict, invalid, notFound, refused } from '../../../domain/shared/domain-error';
import { INSTANCE_READ_MODEL, InstanceReadModel } from '../../compute/ports/instance-read-model.port';
import { CommandExecutor } from '../../shared/command-executor';
import { assertCanWrite, assertInScope } from '../../identity/access';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { VOLUME_READ_MODEL, VolumeReadModel, VolumeView } from '../ports/volume-read-model.port';

export type VolumeAccepted = { operation: { id: string; status: 'running'; kind: string }; volume: VolumeView | { id: string; status: string } };

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

export class CreateVolume {
  constructor(
    readonly name: string,
    readonly sizeGiB: number,
    readonly principal: Principal,
    readonly requestId: string | null,
    /** Restore from this snapshot (of the same project, available, at most sizeGiB). */
    readonly sourceSnapshotId: string | null = null,
  ) {}
}

/** Reserves the volumes quota, records the volume (creating) and its operation; the volume worker creates it. */
@CommandHandler(CreateVolume)
export class CreateVolumeHandler implements ICommandHandler<CreateVolume, VolumeAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
  ) {}

  async execute({ name, sizeGiB, principal, requestId, sourceSnapshotId }: CreateVolume): Promise<VolumeAccepted> {
    assertCanWrite(principal);
    if (sourceSnapshotId) await this.assertRestorable(sourceSnapshotId, sizeGiB, principal.projectId);
    const volumeId = this.ids.next('vol');
    const operationId = this.ids.next('op');
    const projectId = principal.projectId;
    const ctx = { ...contextOf(principal, requestId), projectId, correlationId: operationId };
    const now = this.executor.now();
    await this.executor.execute(
      projectDecider,
      projectStream(projectId),
      { type: 'ReserveQuota', reservationId: volumeId, amounts: { volumes: 1, volumeGiB: sizeGiB }, now },
      ctx,
      { waitForReadModels: false },
    );
    try {
      await this.executor.execute(
        volumeDecider,
        volumeStream(volumeId),
        { type: 'RequestVolume', volumeId, projectId, name, sizeGiB, sourceImageId: null, bootFor: null, sourceSnapshotId, now },
        ctx,
        {
          waitForReadModels: false,
        },
      );
    } catch (error) {
      await this.executor.execute(projectDecider, projectStream(projectId), { type: 'ReleaseQuota', reservationId: volumeId, now }, ctx).catch(() => undefined);
      throw error;
    }
    await this.executor.execute(
      operationDecider,
      operationStream(operationId),
      { type: 'StartOperation', operationId, projectId, kind: 'volume-create', instanceIds: [], volumeIds: [volumeId], now },
      ctx,
    );
    return { operation: { id: operationId, status: 'running', kind: 'volume-create' }, volume: { id: volumeId, status: 'creating' } };
  }

  /** The snapshot exists in the project, is available on its volume's stream (exact), and fits the new size. */
  private async assertRestorable(snapshotId: string, sizeGiB: number, projectId: string): Promise<void> {
    const field = [{ field: 'snapshotId', message: 'unknown' }];
    const snapshot = await this.volumes.getSnapshot(snapshotId);
    if (!snapshot || snapshot.projectId !== projectId) throw refused('SnapshotNotFound', `No snapshot ${snapshotId} in this project`, field);
    const { state } = await this.executor.load(volumeDecider, volumeStream(snapshot.volumeId), { cached: true });
    const status = state.status === 'absent' ? undefined : state.snapshots[snapshotId];
    if (status === undefined) throw refused('SnapshotNotFound', `No snapshot ${snapshotId} in this project`, field);
    if (status !== 'available') throw conflict('SnapshotStateConflict', `Snapshot ${snapshotId} is ${status}; a volume is restored from an available one`);
    if (sizeGiB < snapshot.sizeGiB)
      throw invalid('VolumeTooSmall', `Snapshot ${snapshotId} holds ${snapshot.sizeGiB} GiB; the volume must be at least that`, [
        { field: 'sizeGiB', message: `less than ${snapshot.sizeGiB}` },
      ]);
  }
}

export type VolumeChange = { action: 'attach'; instanceId: string } | { action: 'detach' } | { action: 'delete' };

export class ChangeVolume {
  constructor(
    readonly volumeId: string,
    readonly change: VolumeChange,
    readonly principal: Principal,
    readonly requestId: string | null,
  ) {}
}

/** Attach, detach or delete: recorded at once (409 if the volume's state does not allow it), carried out by the volume worker. */
@CommandHandler(ChangeVolume)
export class ChangeVolumeHandler implements ICommandHandler<ChangeVolume, VolumeAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(INSTANCE_READ_MODEL) private readonly instances: InstanceReadModel,
  ) {}

  async execute({ volumeId, change, principal, requestId }: ChangeVolume): Promise<VolumeAccepted> {
    assertCanWrite(principal);
    const volume = await this.volumes.getVolume(volumeId);
    if (!volume || volume.status === 'deleted') throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(principal, volume.projectId, NOT_FOUND);
    if (volume.bootFor) throw conflict('RootVolume', `${volumeId} is the root disk of ${volume.bootFor}; it goes with its instance`);
    const now = this.executor.now();
    let command: VolumeCommand;
    if (change.action === 'attach') {
      const instance = await this.instances.getInstance(change.instanceId);
      if (!instance || instance.projectId !== volume.projectId || instance.state === 'deleted') throw notFound('InstanceNotFound', 'Instance not found');
      if (instance.state !== 'active' && instance.state !== 'stopped')
        throw conflict('InstanceStateConflict', `Cannot attach to an instance that is ${instance.state}`);
      command = { type: 'RequestAttach', instanceId: change.instanceId, now };
    } else {
      command = change.action === 'detach' ? { type: 'RequestDetach', now } : { type: 'RequestDelete', now };
    }
    const operationId = this.ids.next('op');
    const ctx = { ...contextOf(principal, requestId), projectId: volume.projectId, correlationId: operationId };
    await this.executor.execute(volumeDecider, volumeStream(volumeId), command, ctx, { waitForReadModels: false });
    await this.executor.execute(
      operationDecider,
      operationStream(operationId),
      {
        type: 'StartOperation',
        operationId,
        projectId: volume.projectId,
        kind: `volume-${change.action}`,
        instanceIds: [],
        volumeIds: [volumeId],
        now,
      },
      ctx,
    );
    return { operation: { id: operationId, status: 'running', kind: `volume-${change.action}` }, volume: { id: volumeId, status: volume.status } };
  }
}
