import { DomainEvent } from '../../shared/decider';
import { Metadata, MetadataChange } from '../../shared/metadata';

/** User-facing volume status (api.md). */
export type VolumeStatus = 'creating' | 'available' | 'attaching' | 'in-use' | 'detaching' | 'extending' | 'deleting' | 'deleted' | 'error';
/** A snapshot's status (Cinder's); a deleted one leaves the volume's list. */
export type SnapshotStatus = 'creating' | 'available' | 'deleting' | 'error';

export const MAX_VOLUME_GIB = 16_384;

export type VolumeEvent =
  | DomainEvent<
      'VolumeRequested',
      {
        volumeId: string;
        projectId: string;
        name: string;
        sizeGiB: number;
        sourceImageId: string | null;
        bootFor: string | null;
        /** Restored from this snapshot (absent in events recorded before snapshots existed). */
        sourceSnapshotId?: string | null;
        /** Absent in events recorded before volumes had descriptions: none. */
        description?: string;
        at: string;
      }
    >
  | DomainEvent<'VolumeCreated', { volumeId: string; at: string }>
  | DomainEvent<'VolumeCreationFailed', { volumeId: string; reason: string; at: string }>
  | DomainEvent<'VolumeAttachRequested', { volumeId: string; instanceId: string; at: string }>
  | DomainEvent<'VolumeAttached', { volumeId: string; instanceId: string; device: string; at: string }>
  | DomainEvent<'VolumeAttachFailed', { volumeId: string; instanceId: string; reason: string; at: string }>
  | DomainEvent<'VolumeDetachRequested', { volumeId: string; instanceId: string; at: string }>
  | DomainEvent<'VolumeDetached', { volumeId: string; instanceId: string; at: string }>
  /** Detaching kept failing and was given up on: still attached (Cinder: back to in-use). */
  | DomainEvent<'VolumeDetachFailed', { volumeId: string; instanceId: string; reason: string; at: string }>
  /** A new name, or description, or both (`description` absent: unchanged). */
  | DomainEvent<'VolumeRenamed', { volumeId: string; name: string; description?: string; at: string }>
  /** The volume's metadata (`snapshotId` null), or one of its snapshots', as it now is (EC2's tags). */
  | DomainEvent<'VolumeMetadataChanged', { volumeId: string; snapshotId: string | null; metadata: Metadata; at: string }>
  /** An existing bootable volume becomes an instance's root disk (boot from volume). */
  | DomainEvent<'VolumeClaimedForBoot', { volumeId: string; instanceId: string; at: string }>
  /** Its instance went and the volume stays (delete_on_termination false): a data volume again. */
  | DomainEvent<'VolumeReleasedFromBoot', { volumeId: string; instanceId: string; at: string }>
  | DomainEvent<'VolumeExtendRequested', { volumeId: string; sizeGiB: number; at: string }>
  | DomainEvent<'VolumeExtended', { volumeId: string; sizeGiB: number; at: string }>
  /** Growing the volume kept failing and was given up on: available at its old size (Cinder: error_extending). */
  | DomainEvent<'VolumeExtendFailed', { volumeId: string; sizeGiB: number; reason: string; at: string }>
  | DomainEvent<'VolumeDeleteRequested', { volumeId: string; at: string }>
  | DomainEvent<'VolumeDeleted', { volumeId: string; projectId: string; sizeGiB: number; at: string }>
  /** Deleting kept failing and was given up on: error, quota kept, to be deleted again (Cinder: error_deleting). */
  | DomainEvent<'VolumeDeleteFailed', { volumeId: string; reason: string; at: string }>
  /** Snapshots live on their volume's stream: "the volume has snapshots" is then decided exactly. */
  | DomainEvent<'VolumeSnapshotRequested', { volumeId: string; snapshotId: string; projectId: string; name: string; sizeGiB: number; at: string }>
  | DomainEvent<'VolumeSnapshotCreated', { volumeId: string; snapshotId: string; at: string }>
  | DomainEvent<'VolumeSnapshotFailed', { volumeId: string; snapshotId: string; reason: string; at: string }>
  | DomainEvent<'VolumeSnapshotDeleteRequested', { volumeId: string; snapshotId: string; at: string }>
  | DomainEvent<'VolumeSnapshotDeleted', { volumeId: string; snapshotId: string; at: string }>
  /** Deleting the snapshot kept failing and was given up on: error, to be deleted again. */
  | DomainEvent<'VolumeSnapshotDeleteFailed', { volumeId: string; snapshotId: string; reason: string; at: string }>;

export type VolumeCommand =
  | {
      type: 'RequestVolume';
      volumeId: string;
      projectId: string;
      name: string;
      sizeGiB: number;
      sourceImageId: string | null;
      bootFor: string | null;
      sourceSnapshotId?: string | null;
      description?: string;
      now: string;
    }
  | { type: 'RecordCreated'; now: string }
  | { type: 'RecordCreationFailed'; reason: string; now: string }
  | { type: 'RequestAttach'; instanceId: string; now: string }
  | { type: 'RecordAttached'; device: string; now: string }
  | { type: 'RecordAttachFailed'; reason: string; now: string }
  | { type: 'RequestDetach'; now: string }
  | { type: 'RecordDetached'; now: string }
  | { type: 'RecordDetachFailed'; reason: string; now: string }
  | { type: 'Rename'; name: string; description?: string; now: string }
  | { type: 'ChangeMetadata'; snapshotId: string | null; change: MetadataChange; now: string }
  | { type: 'ClaimForBoot'; instanceId: string; now: string }
  | { type: 'ReleaseFromBoot'; now: string }
  | { type: 'RequestExtend'; sizeGiB: number; now: string }
  | { type: 'RecordExtended'; now: string }
  | { type: 'RecordExtendFailed'; reason: string; now: string }
  | { type: 'RequestDelete'; now: string }
  | { type: 'RecordDeleted'; now: string }
  | { type: 'RecordDeleteFailed'; reason: string; now: string }
  | { type: 'RequestSnapshot'; snapshotId: string; name: string; now: string }
  | { type: 'RecordSnapshotCreated'; snapshotId: string; now: string }
  | { type: 'RecordSnapshotFailed'; snapshotId: string; reason: string; now: string }
  | { type: 'RequestSnapshotDelete'; snapshotId: string; now: string }
  | { type: 'RecordSnapshotDeleted'; snapshotId: string; now: string }
  | { type: 'RecordSnapshotDeleteFailed'; snapshotId: string; reason: string; now: string };

export type VolumeState =
  | { status: 'absent' }
  | {
      status: VolumeStatus;
      volumeId: string;
      projectId: string;
      name: string;
      sizeGiB: number;
      /** The instance it is attached (or being attached/detached) to. */
      instanceId: string | null;
      device: string | null;
      /** Set for an instance's root volume: it follows its instance and cannot be detached by hand. */
      bootFor: string | null;
      /** The snapshot it is restored from, if any. */
      sourceSnapshotId: string | null;
      /** The image it was made from (bootable), if any. */
      sourceImageId: string | null;
      /** While extending: the size it grows to. */
      extendingTo: number | null;
      /** The sizes it grew to, each with its own quota reservation. */
      grownTo: readonly number[];
      /** Its snapshots that are not deleted. */
      snapshots: Readonly<Record<string, SnapshotStatus>>;
      metadata: Metadata;
      /** Its snapshots' metadata, of those that have any. */
      snapshotMetadata: Readonly<Record<string, Metadata>>;
    };

export const volumeStream = (volumeId: string) => `volume-${volumeId}`;
