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
    const claims = new Map<string, { vcpus: number; ramMiB: number; diskGiB: number }>();
    for (const e of events) {
      if (!TYPES.has(e.type)) continue;
      const event = { type: e.type, data: e.data } as ComputeCatalogEvent;
      if (event.type === 'ResourcesClaimed' || event.type === 'ClaimReleased') {
        // Summed per host and written once per batch: a launch claims on every host many times.
        const sign = event.type === 'ResourcesClaimed' ? 1 : -1;
        const sum = claims.get(event.data.hostId) ?? { vcpus: 0, ramMiB: 0, diskGiB: 0 };
        const r = event.data.resources;
        claims.set(event.data.hostId, { vcpus: sum.vcpus + sign * r.vcpus, ramMiB: sum.ramMiB + sign * r.ramMiB, diskGiB: sum.diskGiB + sign * r.diskGiB });
        continue;
      }
      if (event.type === 'HostRegistered') await flushClaims(claims, tx); // claims may follow in the same batch
      await applyOne(event, tx);
    }
    await flushClaims(claims, tx);
  },
};

async function flushClaims(claims: Map<string, { vcpus: number; ramMiB: number; diskGiB: number }>, { manager }: Tx): Promise<void> {
  for (const [hostId, delta] of claims) {
    const row = await manager.findOneBy(HostRow, { id: hostId });
    if (!row) continue;
    const used = { vcpus: row.used.vcpus + delta.vcpus, ramMiB: row.used.ramMiB + delta.ramMiB, diskGiB: row.used.diskGiB + delta.diskGiB };
    await manager.update(HostRow, { id: hostId }, { used });
  }
  claims.clear();
}

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
    case 'ClaimReleased':
      return; // summed per batch in apply()
  }
}
