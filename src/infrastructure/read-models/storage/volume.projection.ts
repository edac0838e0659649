import { EventCore } from '../../../application/ports/event-store.port';
import { VolumeEvent, volumeDecider } from '../../../domain/storage/volume/volume.decider';
import { SnapshotRow, VolumeRow } from '../../persistence/read-model.entities';
import { Projection } from '../../projections/projection';
import { RowFolds } from '../../projections/row-folds';

/** Volumes (data and root), their status and attachment, folded by the domain's own evolve. */
export const volumeProjection: Projection = {
  name: 'volumes',
  tables: ['rm_volumes', 'rm_snapshots'],
  reads: { types: [], prefixes: ['Volume'] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    await applySnapshots(
      events.filter((e) => e.type.startsWith('VolumeSnapshot')),
      folds,
    );
    const volumeEvents = events.filter((e) => e.type.startsWith('Volume') && !e.type.startsWith('VolumeSnapshot'));
    if (volumeEvents.length === 0) return;
    const rows = await folds.of(VolumeRow).loadFor(
      volumeEvents,
      (e) => (e.data as { volumeId: string }).volumeId,
      (e) => e.type === 'VolumeRequested',
    );
    for (const recorded of volumeEvents) {
      const event = { type: recorded.type, data: recorded.data } as VolumeEvent;
      if (event.type === 'VolumeRequested') {
        const d = event.data;
        rows.put({
          id: d.volumeId,
          projectId: d.projectId,
          name: d.name,
          sizeGiB: d.sizeGiB,
          status: 'creating',
          instanceId: null,
          device: null,
          bootFor: d.bootFor,
          createdAt: d.at,
          updatedAt: d.at,
        });
        continue;
      }
      rows.update(event.data.volumeId, (row) => {
        const next = volumeDecider.evolve(
          {
            status: row.status as never,
            volumeId: row.id,
            projectId: row.projectId,
            sizeGiB: row.sizeGiB,
            instanceId: row.instanceId,
            device: row.device,
            bootFor: row.bootFor,
            sourceSnapshotId: null,
            snapshots: {},
          },
          event,
        );
        if (next.status === 'absent') return row;
        return { ...row, status: next.status, instanceId: next.instanceId, device: next.device, updatedAt: recorded.metadata.at };
      });
    }
  },
};

/** Snapshots: one row each, kept with status deleted once gone (as volumes). */
async function applySnapshots(events: readonly EventCore[], folds: RowFolds): Promise<void> {
  if (events.length === 0) return;
  const rows = await folds.of(SnapshotRow).loadFor(
    events,
    (e) => (e.data as { snapshotId: string }).snapshotId,
    (e) => e.type === 'VolumeSnapshotRequested',
  );
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as VolumeEvent;
    const at = recorded.metadata.at;
    switch (event.type) {
      case 'VolumeSnapshotRequested': {
        const { snapshotId, volumeId, projectId, name, sizeGiB } = event.data;
        rows.put({ id: snapshotId, volumeId, projectId, name, sizeGiB, status: 'creating', failure: null, createdAt: at, updatedAt: at });
        break;
      }
      case 'VolumeSnapshotCreated':
        rows.update(event.data.snapshotId, (row) => ({ ...row, status: 'available', updatedAt: at }));
        break;
      case 'VolumeSnapshotFailed':
        rows.update(event.data.snapshotId, (row) => ({ ...row, status: 'error', failure: event.data.reason, updatedAt: at }));
        break;
      case 'VolumeSnapshotDeleteRequested':
        rows.update(event.data.snapshotId, (row) => ({ ...row, status: 'deleting', updatedAt: at }));
        break;
      case 'VolumeSnapshotDeleted':
        rows.update(event.data.snapshotId, (row) => ({ ...row, status: 'deleted', updatedAt: at }));
        break;
    }
  }
}
