import { RecordedEvent } from '../../application/ports/event-store.port';
import { nameKey } from '../../application/identity/name-claims';
import { FlavorEvent } from '../../domain/compute/flavor/flavor.decider';
import { HostEvent } from '../../domain/compute/host/host.decider';
import { ImageEvent } from '../../domain/compute/image/image.decider';
import { KeyPairEvent } from '../../domain/compute/keypair/keypair.decider';
import { Tx } from '../persistence/database';
import { FlavorRow, HostRow, ImageRow, KeyPairRow } from '../persistence/read-model.entities';
import { Projection } from './projection';

type ComputeCatalogEvent = FlavorEvent | ImageEvent | KeyPairEvent | HostEvent;

const TYPES = new Set<string>([
  'FlavorCreated',
  'FlavorDeleted',
  'ImageRegistered',
  'ImageDeleted',
  'KeyPairImported',
  'KeyPairDeleted',
  'HostRegistered',
  'HostEnabled',
  'HostDisabled',
  'ResourcesClaimed',
  'ClaimReleased',
]);

/** Flavors, images, keypairs and hosts (with the resources claimed on them). */
export const computeProjection: Projection = {
  name: 'compute',
  tables: ['rm_flavors', 'rm_images', 'rm_keypairs', 'rm_hosts'],
  async apply(events: readonly RecordedEvent[], tx: Tx) {
    for (const e of events) if (TYPES.has(e.type)) await applyOne({ type: e.type, data: e.data } as ComputeCatalogEvent, tx);
  },
};

async function applyOne(event: ComputeCatalogEvent, { manager }: Tx): Promise<void> {
  switch (event.type) {
    case 'FlavorCreated': {
      const { flavorId, name, vcpus, ramMiB, diskGiB, at } = event.data;
      await manager.insert(FlavorRow, { id: flavorId, name, nameKey: nameKey(name), vcpus, ramMiB, diskGiB, createdAt: at });
      return;
    }
    case 'FlavorDeleted':
      await manager.delete(FlavorRow, { id: event.data.flavorId });
      return;
    case 'ImageRegistered': {
      const { imageId, name, os, minDiskGiB, source, at } = event.data;
      await manager.insert(ImageRow, { id: imageId, name, nameKey: nameKey(name), os, minDiskGiB, source, createdAt: at });
      return;
    }
    case 'ImageDeleted':
      await manager.delete(ImageRow, { id: event.data.imageId });
      return;
    case 'KeyPairImported': {
      const { keyPairId, projectId, name, publicKey, fingerprint, at } = event.data;
      await manager.insert(KeyPairRow, { id: keyPairId, projectId, name, nameKey: nameKey(name), publicKey, fingerprint, createdAt: at });
      return;
    }
    case 'KeyPairDeleted':
      await manager.delete(KeyPairRow, { id: event.data.keyPairId });
      return;
    case 'HostRegistered': {
      const { hostId, name, driver, uri, zone, capacity, ratios, at } = event.data;
      await manager.insert(HostRow, {
        id: hostId,
        name,
        nameKey: nameKey(name),
        driver,
        uri,
        zone,
        enabled: 1,
        capacity,
        ratios,
        used: { vcpus: 0, ramMiB: 0, diskGiB: 0 },
        createdAt: at,
      });
      return;
    }
    case 'HostEnabled':
    case 'HostDisabled':
      await manager.update(HostRow, { id: event.data.hostId }, { enabled: event.type === 'HostEnabled' ? 1 : 0 });
      return;
    case 'ResourcesClaimed':
    case 'ClaimReleased': {
      const row = await manager.findOneBy(HostRow, { id: event.data.hostId });
      if (!row) return;
      const sign = event.type === 'ResourcesClaimed' ? 1 : -1;
      const r = event.data.resources;
      const used = { vcpus: row.used.vcpus + sign * r.vcpus, ramMiB: row.used.ramMiB + sign * r.ramMiB, diskGiB: row.used.diskGiB + sign * r.diskGiB };
      await manager.update(HostRow, { id: row.id }, { used });
      return;
    }
  }
}
