import { Inject, Injectable } from '@nestjs/common';
import { DomainError, conflict, refused } from '../../domain/shared/domain-error';
import { volumeDecider, volumeStream } from '../../domain/storage/volume/volume.decider';
import { TRACING, Tracing, tracedCall } from '../ports/tracing.port';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { isFinal } from '../shared/driver-error';
import { BLOCK_STORAGE, BlockStorageDriver } from './ports/block-storage-driver.port';
import { VOLUME_READ_MODEL, VolumeReadModel } from './ports/volume-read-model.port';

const NO_WAIT = { waitForReadModels: false };
/** Root volumes have ids derived from their instance's: usually new streams (see CommandExecutor.execute). */
const NEW_STREAM = { waitForReadModels: false, newStream: true };

export type RootVolumeRequest = {
  volumeId: string;
  instanceId: string;
  projectId: string;
  name: string;
  sizeGiB: number;
  imageId: string;
  imageSource: string;
};

/**
 * An instance's disks, for Compute: its root volume (created from its image, deleted with it) and
 * the data volumes attached to it (detached and kept when it goes, as in Nova). Every call is
 * idempotent. A driver error that trying again may mend is thrown (the caller retries); one that
 * it cannot is recorded on the volume and returned as the reason.
 */
@Injectable()
export class InstanceDisks {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(BLOCK_STORAGE) private readonly storage: BlockStorageDriver,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  async createRoot(r: RootVolumeRequest, ctx: CommandContext): Promise<{ created: true } | { failed: string }> {
    const stream = volumeStream(r.volumeId);
    try {
      await this.executor.execute(
        volumeDecider,
        stream,
        {
          type: 'RequestVolume',
          volumeId: r.volumeId,
          projectId: r.projectId,
          name: r.name,
          sizeGiB: r.sizeGiB,
          sourceImageId: r.imageId,
          bootFor: r.instanceId,
          now: this.executor.now(),
        },
        ctx,
        NEW_STREAM,
      );
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'VolumeExists')) throw error; // requested before a crash: go on
    }
    try {
      await this.call(ctx, 'createVolume', () => this.storage.createVolume({ volumeId: r.volumeId, sizeGiB: r.sizeGiB, sourceImage: r.imageSource }));
    } catch (error) {
      if (!isFinal(error)) throw error;
      await this.executor.execute(volumeDecider, stream, { type: 'RecordCreationFailed', reason: error.message, now: this.executor.now() }, ctx, NO_WAIT);
      return { failed: error.message };
    }
    await this.executor.execute(volumeDecider, stream, { type: 'RecordCreated', now: this.executor.now() }, ctx, NO_WAIT);
    return { created: true };
  }

  /**
   * An existing volume a launch would boot from: of the project, available, made from an image and
   * no one's root disk (422 VolumeNotFound, 409 otherwise); its image and size.
   */
  async bootSource(volumeId: string, projectId: string): Promise<{ imageId: string; sizeGiB: number }> {
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (state.status === 'absent' || state.status === 'deleted' || state.projectId !== projectId) {
      throw refused('VolumeNotFound', `No volume ${volumeId} in this project`, [{ field: 'rootVolume.volumeId', message: 'unknown' }]);
    }
    if (!state.sourceImageId) throw conflict('VolumeNotBootable', `Volume ${volumeId} was not made from an image; it does not boot`);
    if (state.bootFor || state.status !== 'available')
      throw conflict('VolumeInUse', `Volume ${volumeId} is ${state.bootFor ? `the root disk of ${state.bootFor}` : state.status}`);
    return { imageId: state.sourceImageId, sizeGiB: state.sizeGiB };
  }

  /** Makes an existing bootable volume the instance's root disk (a retry finds it done). */
  async claimRoot(volumeId: string, instanceId: string, ctx: CommandContext): Promise<{ claimed: true } | { failed: string }> {
    try {
      await this.executor.execute(volumeDecider, volumeStream(volumeId), { type: 'ClaimForBoot', instanceId, now: this.executor.now() }, ctx, NO_WAIT);
      return { claimed: true };
    } catch (error) {
      if (error instanceof DomainError) return { failed: error.message };
      throw error;
    }
  }

  /** The root volume when its instance goes: deleted, or (`keep`) left as a data volume, available. */
  async releaseRoot(volumeId: string, keep: boolean, ctx: CommandContext): Promise<void> {
    if (!keep) return this.deleteRoot(volumeId, ctx);
    const { state } = await this.executor.load(volumeDecider, volumeStream(volumeId));
    if (state.status === 'absent' || state.status === 'deleted') return;
    if (state.status === 'creating') return this.deleteRoot(volumeId, ctx); // never made whole: nothing worth keeping
    await this.executor.execute(volumeDecider, volumeStream(volumeId), { type: 'ReleaseFromBoot', now: this.executor.now() }, ctx, NO_WAIT);
  }

  /** Deletes the root volume, whatever its state (nothing if there is none). */
  private async deleteRoot(volumeId: string, ctx: CommandContext): Promise<void> {
    const stream = volumeStream(volumeId);
    const { state } = await this.executor.load(volumeDecider, stream);
    if (state.status === 'absent' || state.status === 'deleted') return;
    await this.call(ctx, 'deleteVolume', () => this.storage.deleteVolume(volumeId));
    const now = this.executor.now();
    if (state.status === 'creating')
      await this.executor.execute(volumeDecider, stream, { type: 'RecordCreationFailed', reason: 'instance failed', now }, ctx, NO_WAIT);
    await this.executor.execute(volumeDecider, stream, { type: 'RequestDelete', now }, ctx, NO_WAIT);
    await this.executor.execute(volumeDecider, stream, { type: 'RecordDeleted', now }, ctx, NO_WAIT);
  }

  /** Detaches every data volume from the instance; they stay, available (as in Nova). */
  async detachAll(instanceId: string, ctx: CommandContext): Promise<void> {
    for (const volume of await this.volumes.listAttachedTo(instanceId)) {
      await this.call(ctx, 'detach', () => this.storage.detach(volume.id, instanceId));
      const stream = volumeStream(volume.id);
      const now = this.executor.now();
      if (volume.status === 'attaching') {
        await this.executor.execute(volumeDecider, stream, { type: 'RecordAttachFailed', reason: 'instance deleted', now }, ctx, NO_WAIT);
        continue;
      }
      if (volume.status === 'in-use') await this.executor.execute(volumeDecider, stream, { type: 'RequestDetach', now }, ctx, NO_WAIT);
      await this.executor.execute(volumeDecider, stream, { type: 'RecordDetached', now }, ctx, NO_WAIT);
    }
  }

  /** A call to the block storage, a span of the trace of the work it is made for (the instance's step). */
  private call<T>(ctx: CommandContext, method: string, fn: () => Promise<T>): Promise<T> {
    return tracedCall(this.tracing, `storage.${method}`, this.tracing.traceOf(ctx.requestId, ctx.causationId), {}, fn);
  }
}
