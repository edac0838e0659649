import { EventCore } from '../../../application/ports/event-store.port';
import { VolumeEvent, evolveAttachment, isSnapshotEvent, snapshotStatusAfter } from '../../../domain/storage/volume/volume.decider';
import { SnapshotRow, VolumeRow } from './volume.tables';
import { Projection } from '../../projections/projection';
import { RowFolds } from '../../projections/row-folds';

/** Volumes (data and root), their status and attachment, and their snapshots, folded by the domain's own functions. */
export const volumeProjection: Projection = {
  name: 'volumes',
  tables: ['rm_volumes', 'rm_snapshots'],
  reads: { types: [], prefixes: ['Volume'] },
  async apply(recorded: readonly EventCore[], folds: RowFolds) {
    const events = recorded
      .filter((e) => e.type.startsWith('Volume'))
      .map((e) => ({ event: { type: e.type, data: e.data } as VolumeEvent, at: e.metadata.at }));
    await applySnapshots(
      events.filter((e): e is Folded<SnapshotRowEvent> => isSnapshotRowEvent(e.event)),
      folds,
    );
    await applyVolumes(
      events.filter((e) => !isSnapshotRowEvent(e.event)),
      folds,
    );
  },
};

type SnapshotEvent = Extract<VolumeEvent, { type: `VolumeSnapshot${string}` }>;
/** What changes a snapshot's row: its own events, and metadata changes that name it. */
type SnapshotRowEvent = SnapshotEvent | Extract<VolumeEvent, { type: 'VolumeMetadataChanged' }>;
const isSnapshotRowEvent = (e: VolumeEvent): e is SnapshotRowEvent => isSnapshotEvent(e) || (e.type === 'VolumeMetadataChanged' && e.data.snapshotId !== null);
type Folded<E extends VolumeEvent> = { event: E; at: string };

async function applyVolumes(events: readonly Folded<VolumeEvent>[], folds: RowFolds): Promise<void> {
  if (events.length === 0) return;
  const rows = await folds.of(VolumeRow).loadFor(
    events.map((e) => e.event),
    (e) => e.data.volumeId,
    (e) => e.type === 'VolumeRequested',
  );
  for (const { event, at } of events) {
    if (event.type === 'VolumeRequested') {
      const { volumeId, projectId, name, sizeGiB, bootFor, sourceImageId, description = '' } = event.data;
      rows.put({
        id: volumeId,
        projectId,
        name,
        sizeGiB,
        status: 'creating',
        instanceId: null,
        device: null,
        bootFor,
        sourceImageId,
        description,
        metadata: {},
        createdAt: at,
        updatedAt: at,
      });
    } else if (event.type === 'VolumeRenamed') {
      const { name, description } = event.data;
      rows.update(event.data.volumeId, (row) => ({ ...row, name, description: description ?? row.description, updatedAt: at }));
    } else if (event.type === 'VolumeMetadataChanged') {
      rows.update(event.data.volumeId, (row) => ({ ...row, metadata: { ...event.data.metadata }, updatedAt: at }));
    } else if (event.type === 'VolumeClaimedForBoot' || event.type === 'VolumeReleasedFromBoot') {
      const bootFor = event.type === 'VolumeClaimedForBoot' ? event.data.instanceId : null;
      rows.update(event.data.volumeId, (row) => ({ ...row, bootFor, updatedAt: at }));
    } else if (!isSnapshotEvent(event)) {
      rows.update(event.data.volumeId, (row) => ({ ...evolveAttachment(row, event), updatedAt: at }));
    }
  }
}

/** Snapshots: one row each, kept with status deleted once gone (as volumes). */
async function applySnapshots(events: readonly Folded<SnapshotRowEvent>[], folds: RowFolds): Promise<void> {
  if (events.length === 0) return;
  const rows = await folds.of(SnapshotRow).loadFor(
    events.map((e) => e.event),
    (e) => e.data.snapshotId as string,
    (e) => e.type === 'VolumeSnapshotRequested',
  );
  for (const { event, at } of events) {
    if (event.type === 'VolumeSnapshotRequested') {
      const { snapshotId, volumeId, projectId, name, sizeGiB } = event.data;
      rows.put({ id: snapshotId, volumeId, projectId, name, sizeGiB, status: 'creating', failure: null, metadata: {}, createdAt: at, updatedAt: at });
      continue;
    }
    if (event.type === 'VolumeMetadataChanged') {
      rows.update(event.data.snapshotId as string, (row) => ({ ...row, metadata: { ...event.data.metadata }, updatedAt: at }));
      continue;
    }
    const status = snapshotStatusAfter(event) ?? 'deleted';
    const failure = 'reason' in event.data ? event.data.reason : undefined;
    rows.update(event.data.snapshotId, (row) => ({ ...row, status, ...(failure !== undefined ? { failure } : {}), updatedAt: at }));
  }
}
