import { Inject, Injectable } from '@nestjs/common';
import { VolumeState, volumeDecider, volumeStream } from '../../domain/storage/volume/volume.decider';
import { CommandExecutor } from '../shared/command-executor';
import { BLOCK_STORAGE, BlockStorageDriver } from './ports/block-storage-driver.port';

export type StorageOrphanKind = 'volume' | 'snapshot';

/**
 * What the block storage holds that no live volume stream accounts for, for the reconciler. Read
 * from the streams, never from the read models (which lag a launch in progress), and never from a
 * cached state alone (see CommandExecutor.loadConfirmed).
 */
@Injectable()
export class StorageInventory {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(BLOCK_STORAGE) private readonly storage: BlockStorageDriver,
  ) {}

  async unaccounted(): Promise<Record<StorageOrphanKind, string[]>> {
    const volumes: string[] = [];
    for (const v of await this.storage.list()) {
      const live = (s: VolumeState) => s.status !== 'absent' && s.status !== 'deleted';
      if (!(await this.accounts(v.volumeId, live))) volumes.push(v.volumeId);
    }
    // A snapshot is on its volume's stream from before it is taken until after it is deleted.
    const snapshots: string[] = [];
    for (const snap of await this.storage.listSnapshots()) {
      const known = (s: VolumeState) => s.status !== 'absent' && s.snapshots[snap.snapshotId] !== undefined;
      if (!(await this.accounts(snap.volumeId, known))) snapshots.push(snap.snapshotId);
    }
    return { volume: volumes, snapshot: snapshots };
  }

  remove(kind: StorageOrphanKind, id: string): Promise<void> {
    return kind === 'volume' ? this.storage.deleteVolume(id) : this.storage.deleteSnapshot(id);
  }

  private async accounts(volumeId: string, test: (s: VolumeState) => boolean): Promise<boolean> {
    return test(await this.executor.loadConfirmed(volumeDecider, volumeStream(volumeId), test));
  }
}
