import { eventTypesOf } from '../shared/decider';
import { VolumeEvent } from './volume/volume.decider';

/** Every event of the Storage context (its topic's). */
export const STORAGE_EVENT_TYPES = eventTypesOf<VolumeEvent>({
  VolumeRequested: true,
  VolumeCreated: true,
  VolumeCreationFailed: true,
  VolumeAttachRequested: true,
  VolumeAttached: true,
  VolumeAttachFailed: true,
  VolumeDetachRequested: true,
  VolumeDetached: true,
  VolumeDetachFailed: true,
  VolumeRenamed: true,
  VolumeMetadataChanged: true,
  VolumeClaimedForBoot: true,
  VolumeReleasedFromBoot: true,
  VolumeExtendRequested: true,
  VolumeExtended: true,
  VolumeExtendFailed: true,
  VolumeDeleteRequested: true,
  VolumeDeleted: true,
  VolumeDeleteFailed: true,
  VolumeSnapshotRequested: true,
  VolumeSnapshotCreated: true,
  VolumeSnapshotFailed: true,
  VolumeSnapshotDeleteRequested: true,
  VolumeSnapshotDeleted: true,
  VolumeSnapshotDeleteFailed: true,
});
