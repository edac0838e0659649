import { Decider, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';
import { metadataAfter, sameMetadata } from '../../shared/metadata';
import { SnapshotEvent, isSnapshotEvent, snapshotStatusAfter, withSnapshot } from './volume-snapshots';

import { MAX_VOLUME_GIB, VolumeCommand, VolumeEvent, VolumeState, VolumeStatus } from './volume.events';

export { isSnapshotEvent, snapshotStatusAfter };
export { MAX_VOLUME_GIB, volumeStream } from './volume.events';
export type { SnapshotStatus, VolumeCommand, VolumeEvent, VolumeState, VolumeStatus } from './volume.events';

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
      case 'ChangeMetadata': {
        const { snapshotId, change } = command;
        if (snapshotId !== null && !s.snapshots[snapshotId]) throw notFound('SnapshotNotFound', 'Snapshot not found');
        const current = snapshotId === null ? s.metadata : (s.snapshotMetadata[snapshotId] ?? {});
        const metadata = metadataAfter(current, change);
        return sameMetadata(current, metadata) ? [] : [{ type: 'VolumeMetadataChanged', data: { volumeId, snapshotId, metadata, at } }];
      }
      case 'Rename':
        // A name is a label: any state but deleted may be renamed (the check above), and the same name is nothing.
        if (command.name === s.name && command.description === undefined) return [];
        return [
          {
            type: 'VolumeRenamed',
            data: { volumeId, name: command.name, ...(command.description !== undefined ? { description: command.description } : {}), at },
          },
        ];
      case 'ClaimForBoot':
        if (s.bootFor === command.instanceId) return [];
        if (s.bootFor) throw conflict('VolumeInUse', `Volume ${volumeId} is the root disk of ${s.bootFor}`);
        if (s.status !== 'available') throw refuse(s, 'boot from');
        if (!s.sourceImageId) throw conflict('VolumeNotBootable', `Volume ${volumeId} was not made from an image; it does not boot`);
        return [{ type: 'VolumeClaimedForBoot', data: { volumeId, instanceId: command.instanceId, at } }];
      case 'ReleaseFromBoot':
        return s.bootFor ? [{ type: 'VolumeReleasedFromBoot', data: { volumeId, instanceId: s.bootFor, at } }] : [];
      case 'RequestExtend':
        if (s.status === 'extending' && s.extendingTo === command.sizeGiB) return [];
        if (s.status !== 'available') throw refuse(s, 'extend');
        if (!Number.isInteger(command.sizeGiB) || command.sizeGiB <= s.sizeGiB || command.sizeGiB > MAX_VOLUME_GIB) {
          throw invalid('InvalidVolumeSize', `The new size must be an integer above ${s.sizeGiB} and at most ${MAX_VOLUME_GIB} GiB`, [
            { field: 'sizeGiB', message: 'not larger' },
          ]);
        }
        return [{ type: 'VolumeExtendRequested', data: { volumeId, sizeGiB: command.sizeGiB, at } }];
      case 'RecordExtended':
        return s.status === 'extending' && s.extendingTo !== null ? [{ type: 'VolumeExtended', data: { volumeId, sizeGiB: s.extendingTo, at } }] : [];
      case 'RecordExtendFailed':
        return s.status === 'extending' && s.extendingTo !== null
          ? [{ type: 'VolumeExtendFailed', data: { volumeId, sizeGiB: s.extendingTo, reason: command.reason, at } }]
          : [];
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
        sourceImageId: event.data.sourceImageId,
        extendingTo: null,
        grownTo: [],
        snapshots: {},
        metadata: {},
        snapshotMetadata: {},
      };
    }
    if (state.status === 'absent') return state;
    if (isSnapshotEvent(event)) return withSnapshot(state, event.data.snapshotId, snapshotStatusAfter(event));
    if (event.type === 'VolumeRenamed') return { ...state, name: event.data.name };
    if (event.type === 'VolumeMetadataChanged') {
      const { snapshotId, metadata } = event.data;
      return snapshotId === null ? { ...state, metadata } : { ...state, snapshotMetadata: { ...state.snapshotMetadata, [snapshotId]: metadata } };
    }
    if (event.type === 'VolumeClaimedForBoot') return { ...state, bootFor: event.data.instanceId };
    if (event.type === 'VolumeReleasedFromBoot') return { ...state, bootFor: null };
    if (event.type === 'VolumeExtendRequested') return { ...evolveAttachment(state, event), extendingTo: event.data.sizeGiB };
    if (event.type === 'VolumeExtended') return { ...evolveAttachment(state, event), extendingTo: null, grownTo: [...state.grownTo, event.data.sizeGiB] };
    if (event.type === 'VolumeExtendFailed') return { ...evolveAttachment(state, event), extendingTo: null };
    return evolveAttachment(state, event);
  },
};

/** What a volume's own events change: its status, attachment and size (a read-model row keeps the same). */
export type VolumeAttachment = { status: VolumeStatus; instanceId: string | null; device: string | null; sizeGiB: number };

/** The attachment after one of the volume's own events (not its request, not its snapshots'). Generic in what else the state holds. */
export function evolveAttachment<V extends VolumeAttachment>(
  v: V,
  event: Exclude<
    VolumeEvent,
    SnapshotEvent | { type: 'VolumeRequested' | 'VolumeRenamed' | 'VolumeMetadataChanged' | 'VolumeClaimedForBoot' | 'VolumeReleasedFromBoot' }
  >,
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
    case 'VolumeExtendRequested':
      return { ...v, status: 'extending' };
    case 'VolumeExtended':
      return { ...v, status: 'available', sizeGiB: event.data.sizeGiB };
    case 'VolumeExtendFailed':
      return { ...v, status: 'available' };
    default:
      return assertNever(event);
  }
}
