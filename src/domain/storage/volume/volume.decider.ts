import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';

/** User-facing volume status (api.md). */
export type VolumeStatus = 'creating' | 'available' | 'attaching' | 'in-use' | 'detaching' | 'deleting' | 'deleted' | 'error';
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
  | DomainEvent<'VolumeRenamed', { volumeId: string; name: string; at: string }>
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
  | { type: 'Rename'; name: string; now: string }
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
      /** Its snapshots that are not deleted. */
      snapshots: Readonly<Record<string, SnapshotStatus>>;
    };

export const volumeStream = (volumeId: string) => `volume-${volumeId}`;

type Present = Exclude<VolumeState, { status: 'absent' }>;

const refuse = (s: Present, action: string) => conflict('VolumeStateConflict', `Cannot ${action} a volume that is ${s.status}`);

export const volumeDecider: Decider<VolumeState, VolumeCommand, VolumeEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'RequestVolume') {
      if (state.status !== 'absent') throw conflict('VolumeExists', `Volume ${command.volumeId} already exists`);
      if (!Number.isInteger(command.sizeGiB) || command.sizeGiB < 1 || command.sizeGiB > MAX_VOLUME_GIB) {
        throw invalid('InvalidVolumeSize', `sizeGiB must be an integer from 1 to ${MAX_VOLUME_GIB}`, [{ field: 'sizeGiB', message: 'out of range' }]);
      }
      const { type: _type, now, ...data } = command;
      return [{ type: 'VolumeRequested', data: { ...data, at: now } }];
    }
    if (state.status === 'absent' || state.status === 'deleted') {
      if (command.type.startsWith('Record')) return [];
      throw notFound('VolumeNotFound', 'Volume not found');
    }
    const s = state;
    const volumeId = s.volumeId;
    const at = command.now;
    switch (command.type) {
      case 'RecordCreated':
        return s.status === 'creating' ? [{ type: 'VolumeCreated', data: { volumeId, at } }] : [];
      case 'RecordCreationFailed':
        return s.status === 'creating' ? [{ type: 'VolumeCreationFailed', data: { volumeId, reason: command.reason, at } }] : [];
      case 'RequestAttach':
        if (s.status === 'attaching' && s.instanceId === command.instanceId) return [];
        if (s.status !== 'available') throw refuse(s, 'attach');
        return [{ type: 'VolumeAttachRequested', data: { volumeId, instanceId: command.instanceId, at } }];
      case 'RecordAttached':
        return s.status === 'attaching' && s.instanceId
          ? [{ type: 'VolumeAttached', data: { volumeId, instanceId: s.instanceId, device: command.device, at } }]
          : [];
      case 'RecordAttachFailed':
        return s.status === 'attaching' && s.instanceId
          ? [{ type: 'VolumeAttachFailed', data: { volumeId, instanceId: s.instanceId, reason: command.reason, at } }]
          : [];
      case 'RequestDetach':
        if (s.status === 'detaching') return [];
        if (s.status !== 'in-use' || !s.instanceId) throw refuse(s, 'detach');
        return [{ type: 'VolumeDetachRequested', data: { volumeId, instanceId: s.instanceId, at } }];
      case 'RecordDetached':
        return s.status === 'detaching' && s.instanceId ? [{ type: 'VolumeDetached', data: { volumeId, instanceId: s.instanceId, at } }] : [];
      case 'RecordDetachFailed':
        return s.status === 'detaching' && s.instanceId
          ? [{ type: 'VolumeDetachFailed', data: { volumeId, instanceId: s.instanceId, reason: command.reason, at } }]
          : [];
      case 'Rename':
        // A name is a label: any state but deleted may be renamed (the check above), and the same name is nothing.
        return command.name === s.name ? [] : [{ type: 'VolumeRenamed', data: { volumeId, name: command.name, at } }];
      case 'RequestDelete':
        if (s.status === 'deleting') return [];
        if (s.status !== 'available' && s.status !== 'error') throw refuse(s, 'delete');
        if (Object.keys(s.snapshots).length > 0)
          throw conflict('VolumeHasSnapshots', `Volume ${volumeId} has ${Object.keys(s.snapshots).length} snapshot(s); delete them first`);
        return [{ type: 'VolumeDeleteRequested', data: { volumeId, at } }];
      case 'RecordDeleted':
        return s.status === 'deleting' ? [{ type: 'VolumeDeleted', data: { volumeId, projectId: s.projectId, sizeGiB: s.sizeGiB, at } }] : [];
      case 'RecordDeleteFailed':
        return s.status === 'deleting' ? [{ type: 'VolumeDeleteFailed', data: { volumeId, reason: command.reason, at } }] : [];
      case 'RequestSnapshot': {
        const { snapshotId, name } = command;
        if (s.snapshots[snapshotId] !== undefined) return []; // asked again
        if (s.bootFor) throw conflict('RootVolume', `${volumeId} is the root disk of ${s.bootFor}; snapshot data volumes`);
        // As Cinder with force: an attached volume's snapshot is crash-consistent, as if the power had gone.
        if (s.status !== 'available' && s.status !== 'in-use') throw refuse(s, 'snapshot');
        return [{ type: 'VolumeSnapshotRequested', data: { volumeId, snapshotId, projectId: s.projectId, name, sizeGiB: s.sizeGiB, at } }];
      }
      case 'RecordSnapshotCreated':
        return s.snapshots[command.snapshotId] === 'creating'
          ? [{ type: 'VolumeSnapshotCreated', data: { volumeId, snapshotId: command.snapshotId, at } }]
          : [];
      case 'RecordSnapshotFailed':
        return s.snapshots[command.snapshotId] === 'creating'
          ? [{ type: 'VolumeSnapshotFailed', data: { volumeId, snapshotId: command.snapshotId, reason: command.reason, at } }]
          : [];
      case 'RequestSnapshotDelete': {
        const status = s.snapshots[command.snapshotId];
        if (status === undefined) throw notFound('SnapshotNotFound', 'Snapshot not found');
        if (status === 'deleting') return [];
        if (status === 'creating') throw conflict('SnapshotStateConflict', 'Cannot delete a snapshot that is creating');
        return [{ type: 'VolumeSnapshotDeleteRequested', data: { volumeId, snapshotId: command.snapshotId, at } }];
      }
      case 'RecordSnapshotDeleted':
        return s.snapshots[command.snapshotId] === 'deleting'
          ? [{ type: 'VolumeSnapshotDeleted', data: { volumeId, snapshotId: command.snapshotId, at } }]
          : [];
      case 'RecordSnapshotDeleteFailed':
        return s.snapshots[command.snapshotId] === 'deleting'
          ? [{ type: 'VolumeSnapshotDeleteFailed', data: { volumeId, snapshotId: command.snapshotId, reason: command.reason, at } }]
          : [];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'VolumeRequested') {
      const { volumeId, projectId, name, sizeGiB, bootFor } = event.data;
      return {
        status: 'creating',
        volumeId,
        projectId,
        name,
        sizeGiB,
        instanceId: null,
        device: null,
        bootFor,
        sourceSnapshotId: event.data.sourceSnapshotId ?? null,
        snapshots: {},
      };
    }
    if (state.status === 'absent') return state;
    if (isSnapshotEvent(event)) return withSnapshot(state, event.data.snapshotId, snapshotStatusAfter(event));
    if (event.type === 'VolumeRenamed') return { ...state, name: event.data.name };
    return evolveAttachment(state, event);
  },
};

type SnapshotEvent = Extract<VolumeEvent, { type: `VolumeSnapshot${string}` }>;
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

/** What a volume's own events change: its status and attachment (a read-model row keeps the same). */
export type VolumeAttachment = { status: VolumeStatus; instanceId: string | null; device: string | null };

/** The attachment after one of the volume's own events (not its request, not its snapshots'). Generic in what else the state holds. */
export function evolveAttachment<V extends VolumeAttachment>(
  v: V,
  event: Exclude<VolumeEvent, SnapshotEvent | { type: 'VolumeRequested' | 'VolumeRenamed' }>,
): V {
  switch (event.type) {
    case 'VolumeCreated':
      return { ...v, status: 'available' };
    case 'VolumeCreationFailed':
      return { ...v, status: 'error' };
    case 'VolumeAttachRequested':
      return { ...v, status: 'attaching', instanceId: event.data.instanceId };
    case 'VolumeAttached':
      return { ...v, status: 'in-use', device: event.data.device };
    case 'VolumeAttachFailed':
      return { ...v, status: 'available', instanceId: null };
    case 'VolumeDetachRequested':
      return { ...v, status: 'detaching' };
    case 'VolumeDetached':
      return { ...v, status: 'available', instanceId: null, device: null };
    case 'VolumeDetachFailed':
      return { ...v, status: 'in-use' };
    case 'VolumeDeleteRequested':
      return { ...v, status: 'deleting' };
    case 'VolumeDeleted':
      return { ...v, status: 'deleted' };
    case 'VolumeDeleteFailed':
      return { ...v, status: 'error' };
    default:
      return assertNever(event);
  }
}

function withSnapshot(state: Present, snapshotId: string, status: SnapshotStatus | null): Present {
  const { [snapshotId]: _previous, ...others } = state.snapshots;
  return { ...state, snapshots: status === null ? others : { ...others, [snapshotId]: status } };
}
