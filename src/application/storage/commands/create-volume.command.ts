import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { volumeDecider, volumeStream } from '../../../domain/storage/volume/volume.decider';
import { conflict, invalid, refused } from '../../../domain/shared/domain-error';
import { Operations, activeImage } from '../../compute/public';
import { QuotaLedger, assertCanWrite } from '../../identity/public';
import { ID_GENERATOR, IdGenerator } from '../../ports/id-generator.port';
import { Principal, contextOf } from '../../shared/command-context';
import { CommandExecutor } from '../../shared/command-executor';
import { VOLUME_READ_MODEL, VolumeReadModel } from '../ports/volume-read-model.port';
import { VolumeAccepted } from '../volume-accepted';

export class CreateVolume {
  constructor(
    readonly name: string,
    readonly sizeGiB: number,
    readonly principal: Principal,
    readonly requestId: string | null,
    /** Restore from this snapshot (of the same project, available, at most sizeGiB). */
    readonly sourceSnapshotId: string | null = null,
    /** Or made from this image (active; at least its minimum disk): a bootable volume. */
    readonly sourceImageId: string | null = null,
    readonly description = '',
  ) {}
}

/** Reserves the volumes quota, records the volume (creating) and its operation; the volume worker creates it. */
@CommandHandler(CreateVolume)
export class CreateVolumeHandler implements ICommandHandler<CreateVolume, VolumeAccepted> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly quota: QuotaLedger,
    private readonly operations: Operations,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
  ) {}

  async execute({ name, sizeGiB, principal, requestId, sourceSnapshotId, sourceImageId, description }: CreateVolume): Promise<VolumeAccepted> {
    assertCanWrite(principal);
    if (sourceSnapshotId && sourceImageId) throw invalid('OneSource', 'A volume is made from a snapshot or from an image, not both');
    if (sourceSnapshotId) await this.assertRestorable(sourceSnapshotId, sizeGiB, principal.projectId);
    if (sourceImageId) await this.assertImageFits(sourceImageId, sizeGiB);
    const volumeId = this.ids.next('vol');
    const operationId = this.ids.next('op');
    const projectId = principal.projectId;
    const ctx = { ...contextOf(principal, requestId), projectId, correlationId: operationId };
    const now = this.executor.now();
    await this.quota.reserve(projectId, volumeId, { volumes: 1, volumeGiB: sizeGiB }, ctx, { waitForReadModels: false });
    try {
      await this.executor.execute(
        volumeDecider,
        volumeStream(volumeId),
        { type: 'RequestVolume', volumeId, projectId, name, sizeGiB, sourceImageId, bootFor: null, sourceSnapshotId, description, now },
        ctx,
        {
          waitForReadModels: false,
        },
      );
    } catch (error) {
      await this.quota.release(projectId, volumeId, ctx).catch(() => undefined);
      throw error;
    }
    await this.operations.start({ operationId, projectId, kind: 'volume-create', instanceIds: [], volumeIds: [volumeId] }, ctx, { waitForReadModels: true });
    return { operation: { id: operationId, status: 'running', kind: 'volume-create' }, volume: { id: volumeId, status: 'creating' } };
  }

  /** The image is active and its minimum disk fits the new size. */
  private async assertImageFits(imageId: string, sizeGiB: number): Promise<void> {
    const image = await activeImage(this.executor, imageId);
    if (!image) throw refused('ImageNotFound', `No active image ${imageId}`, [{ field: 'imageId', message: 'unknown' }]);
    if (sizeGiB < image.minDiskGiB) {
      throw invalid('VolumeTooSmall', `Image ${imageId} needs at least ${image.minDiskGiB} GiB`, [
        { field: 'sizeGiB', message: `less than ${image.minDiskGiB}` },
      ]);
    }
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
