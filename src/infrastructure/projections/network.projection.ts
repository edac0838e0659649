import { RecordedEvent } from '../../application/ports/event-store.port';
import { nameKey } from '../../application/identity/name-claims';
import { NetworkEvent } from '../../domain/network/network/network.decider';
import { Tx } from '../persistence/database';
import { NetworkRow } from '../persistence/read-model.entities';
import { Projection } from './projection';

const TYPES = new Set<string>(['NetworkCreated', 'IpAllocated', 'IpReleased', 'NetworkDeleted']);

/** Networks with the number of addresses in use. */
export const networkProjection: Projection = {
  name: 'network',
  tables: ['rm_networks'],
  async apply(events: readonly RecordedEvent[], tx: Tx) {
    const used = new Map<string, number>();
    const flush = async () => {
      for (const [networkId, delta] of used) if (delta !== 0) await tx.manager.increment(NetworkRow, { id: networkId }, 'usedIps', delta);
      used.clear();
    };
    for (const e of events) {
      if (!TYPES.has(e.type)) continue;
      const event = { type: e.type, data: e.data } as NetworkEvent;
      if (event.type === 'IpAllocated' || event.type === 'IpReleased') {
        used.set(event.data.networkId, (used.get(event.data.networkId) ?? 0) + (event.type === 'IpAllocated' ? 1 : -1));
        continue;
      }
      await flush();
      await applyOne(event, tx);
    }
    await flush();
  },
};

async function applyOne(event: NetworkEvent, { manager }: Tx): Promise<void> {
  switch (event.type) {
    case 'NetworkCreated': {
      const { networkId, projectId, name, cidr, gateway, vlan, at } = event.data;
      await manager.insert(NetworkRow, { id: networkId, projectId, name, nameKey: nameKey(name), cidr, gateway, vlan, usedIps: 0, createdAt: at });
      return;
    }
    case 'IpAllocated':
    case 'IpReleased':
      return; // summed per batch in apply()
    case 'NetworkDeleted':
      await manager.delete(NetworkRow, { id: event.data.networkId });
      return;
  }
}
