import { Injectable } from '@nestjs/common';
import { CommandExecutor } from '../../../shared/command-executor';
import { InstanceDisks } from '../../../storage/public';
import { activeImage } from '../active-image';
import { rootVolumeIdFor } from '../derived-ids';
import { InstanceRecords, Present } from '../instance-records';
import { ProvisioningStep } from './provisioning-step';

/** The root disk, from Storage: a volume of the flavor's (or the asked) size, at least the image's minimum, made from the image; or an existing bootable volume. */
@Injectable()
export class RootVolumeStep implements ProvisioningStep {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly records: InstanceRecords,
    private readonly disks: InstanceDisks,
  ) {}

  async run(s: Present): Promise<void> {
    const existing = s.request.rootVolume?.volumeId;
    if (existing) {
      const claimed = await this.disks.claimRoot(existing, s.instanceId, this.records.ctx(s));
      if ('failed' in claimed) return this.records.fail(s, `Root volume: ${claimed.failed}`);
      await this.records.record(s, { type: 'RecordRootVolumeReady', volumeId: existing, now: this.records.now() });
      return;
    }
    const image = await activeImage(this.executor, s.request.imageId);
    if (!image) return this.records.fail(s, `Image ${s.request.imageId} no longer exists`);
    const volumeId = rootVolumeIdFor(s.instanceId);
    const result = await this.disks.createRoot(
      {
        volumeId,
        instanceId: s.instanceId,
        projectId: s.projectId,
        name: `${s.request.name}-root`,
        sizeGiB: Math.max(s.request.rootVolume?.sizeGiB ?? s.flavor.diskGiB, image.minDiskGiB, 1),
        imageId: image.imageId,
        imageSource: image.source,
      },
      this.records.ctx(s),
    );
    if ('failed' in result) return this.records.fail(s, `Root volume: ${result.failed}`);
    await this.records.record(s, { type: 'RecordRootVolumeReady', volumeId, now: this.records.now() });
  }
}
