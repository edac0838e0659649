import { Module } from '@nestjs/common';
import { ChangeVolumeHandler } from '../application/storage/commands/change-volume.command';
import { ExtendVolumeHandler, RenameVolumeHandler } from '../application/storage/commands/rename-volume.command';
import { ChangeVolumeMetadataHandler } from '../application/storage/commands/change-volume-metadata.command';
import { CreateSnapshotHandler } from '../application/storage/commands/create-snapshot.command';
import { CreateVolumeHandler } from '../application/storage/commands/create-volume.command';
import { DeleteSnapshotHandler } from '../application/storage/commands/delete-snapshot.command';
import { InstanceDisks } from '../application/storage/instance-disks';
import { VOLUME_READ_MODEL } from '../application/storage/ports/volume-read-model.port';
import { SnapshotChanges } from '../application/storage/snapshot-changes';
import { StorageInventory } from '../application/storage/storage-inventory';
import { STORAGE_SETTINGS } from '../application/storage/storage.settings';
import { VolumeQueries } from '../application/storage/volume.queries';
import { VolumeWorker } from '../application/storage/volume.worker';
import { Config } from '../infrastructure/config/config';
import { Database } from '../infrastructure/persistence/database';
import { SqlVolumeReadModel } from '../infrastructure/read-models/storage/volume.read-model';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { CONFIG, DATABASE } from './tokens';

/** Storage: volumes and snapshots and their worker, an instance's disks for Compute, the block storage's inventory. */
@Module({
  imports: [IdentityModule, ComputeModule],
  providers: [
    { provide: VOLUME_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new SqlVolumeReadModel(db) },
    { provide: STORAGE_SETTINGS, inject: [CONFIG], useFactory: (c: Config) => ({ volumeConcurrency: c.volumeConcurrency }) },
    VolumeQueries,
    InstanceDisks,
    StorageInventory,
    SnapshotChanges,
    VolumeWorker,
    CreateVolumeHandler,
    ChangeVolumeHandler,
    RenameVolumeHandler,
    ChangeVolumeMetadataHandler,
    ExtendVolumeHandler,
    CreateSnapshotHandler,
    DeleteSnapshotHandler,
  ],
  exports: [VOLUME_READ_MODEL, VolumeQueries, InstanceDisks, StorageInventory, VolumeWorker],
})
export class StorageModule {}
