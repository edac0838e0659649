/** What the other contexts may use of Storage: an instance's disks, what the block storage holds for the reconciler, volumes to read. */
export { InstanceDisks } from './instance-disks';
export type { RootVolumeRequest } from './instance-disks';
export { StorageInventory } from './storage-inventory';
export type { StorageOrphanKind } from './storage-inventory';
export { VOLUME_READ_MODEL } from './ports/volume-read-model.port';
export type { SnapshotView, VolumeReadModel, VolumeView } from './ports/volume-read-model.port';
export { STORAGE_EVENT_TYPES } from '../../domain/storage/storage-events';
