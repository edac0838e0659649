import { SnapshotStatus, VolumeEvent, VolumeState } from './volume.events';

/** A volume's snapshots live on its stream; their events and what each makes of a snapshot's status. */
export type SnapshotEvent = Extract<VolumeEvent, { type: `VolumeSnapshot${string}` }>;
const SNAPSHOT_STATUS_AFTER: Record<SnapshotEvent['type'], SnapshotStatus | null> = {
  VolumeSnapshotRequested: 'creating',
  VolumeSnapshotCreated: 'available',
  VolumeSnapshotFailed: 'error',
  VolumeSnapshotDeleteRequested: 'deleting',
  VolumeSnapshotDeleted: null,
  VolumeSnapshotDeleteFailed: 'error',
};
export const isSnapshotEvent = (event: VolumeEvent): event is SnapshotEvent => event.type.startsWith('VolumeSnapshot');
/** A snapshot's status after one of its events (null: gone). */
export const snapshotStatusAfter = (event: SnapshotEvent): SnapshotStatus | null => SNAPSHOT_STATUS_AFTER[event.type];

type Present = Exclude<VolumeState, { status: 'absent' }>;

export function withSnapshot(state: Present, snapshotId: string, status: SnapshotStatus | null): Present {
  const { [snapshotId]: _previous, ...others } = state.snapshots;
  return { ...state, snapshots: status === null ? others : { ...others, [snapshotId]: status } };
}
