import { RecordedEvent } from '../../application/ports/event-store.port';
import { VolumeEvent, volumeDecider } from '../../domain/storage/volume/volume.decider';
import { Tx } from '../persistence/database';
import { VolumeRow } from '../persistence/read-model.entities';
import { Projection } from './projection';

/** Volumes (data and root), their status and attachment, folded by the domain's own evolve. */
export const volumeProjection: Projection = {
  name: 'volumes',
  tables: ['rm_volumes'],
  async apply(events: readonly RecordedEvent[], { manager }: Tx) {
    for (const recorded of events) {
      if (!recorded.type.startsWith('Volume')) continue;
      const event = { type: recorded.type, data: recorded.data } as VolumeEvent;
      if (event.type === 'VolumeRequested') {
        const d = event.data;
        await manager.insert(VolumeRow, {
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
      const row = await manager.findOneBy(VolumeRow, { id: event.data.volumeId });
      if (!row) continue;
      const next = volumeDecider.evolve(
        {
          status: row.status as never,
          volumeId: row.id,
          projectId: row.projectId,
          sizeGiB: row.sizeGiB,
          instanceId: row.instanceId,
          device: row.device,
          bootFor: row.bootFor,
        },
        event,
      );
      if (next.status === 'absent') continue;
      await manager.update(
        VolumeRow,
        { id: row.id },
        { status: next.status, instanceId: next.instanceId, device: next.device, updatedAt: recorded.metadata.at },
      );
    }
  },
};
