import { EventCore } from '../../../application/ports/event-store.port';
import { nameKey } from '../../../application/shared/unique-names';
import { FlavorEvent } from '../../../domain/compute/flavor/flavor.decider';
import { HostEvent } from '../../../domain/compute/host/host.decider';
import { ImageEvent } from '../../../domain/compute/image/image.decider';
import { KeyPairEvent } from '../../../domain/compute/keypair/keypair.decider';
import { FlavorRow, HostRow, ImageRow, KeyPairRow } from './compute.tables';
import { Projection } from '../../projections/projection';
import { RowFold } from '../../projections/row-fold';
import { RowFolds } from '../../projections/row-folds';

type ComputeCatalogEvent = FlavorEvent | ImageEvent | KeyPairEvent | HostEvent;

const HOST_TYPES = new Set<string>([
  'HostRegistered',
  'HostEnabled',
  'HostDisabled',
  'ResourcesClaimed',
  'ClaimReleased',
  'HostAgentAttached',
  'HostAgentDetached',
]);

const TYPES = new Set<string>([
  'FlavorCreated',
  'FlavorDeleted',
  'ImageRegistered',
  'ImageCreated',
  'ImageDataUploaded',
  'ImageTagAdded',
  'ImageTagRemoved',
  'ImageDeleted',
  'KeyPairImported',
  'KeyPairDeleted',
  ...HOST_TYPES,
]);

/** An image registered with its data in place, or created without: no size or digests recorded yet. */
function newImageRow(
  d: { imageId: string; name: string; os: string; minDiskGiB: number; at: string },
  rest: Pick<ImageRow, 'source' | 'status' | 'diskFormat' | 'containerFormat' | 'tags'>,
): ImageRow {
  const { imageId, name, os, minDiskGiB, at } = d;
  return {
    id: imageId,
    name,
    nameKey: nameKey(name),
    os,
    minDiskGiB,
    ...rest,
    sizeBytes: null,
    checksum: null,
    hashAlgo: null,
    hashValue: null,
    createdAt: at,
    updatedAt: at,
  };
}

type Folds = { flavors: RowFold<FlavorRow>; images: RowFold<ImageRow>; keyPairs: RowFold<KeyPairRow>; hosts: RowFold<HostRow> };

/** Flavors, images, keypairs and hosts (with the resources claimed on them), each table folded in memory (see RowFold). */
export const computeProjection: Projection = {
  name: 'compute',
  tables: ['rm_flavors', 'rm_images', 'rm_keypairs', 'rm_hosts'],
  reads: { types: [...TYPES], prefixes: [] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    const computeEvents = events.filter((e) => TYPES.has(e.type)).map((e) => ({ type: e.type, data: e.data }) as ComputeCatalogEvent);
    if (computeEvents.length === 0) return;
    // Flavors and keypairs are only created and deleted: nothing to read. Images and hosts change.
    const hostEvents = computeEvents.filter((e): e is HostEvent => HOST_TYPES.has(e.type));
    const imageEvents = computeEvents.filter((e): e is ImageEvent => e.type.startsWith('Image'));
    const tables: Folds = {
      flavors: folds.of(FlavorRow),
      images: await folds.of(ImageRow).loadFor(
        imageEvents,
        (e) => e.data.imageId,
        (e) => e.type === 'ImageRegistered' || e.type === 'ImageCreated',
      ),
      keyPairs: folds.of(KeyPairRow),
      hosts: await folds.of(HostRow).loadFor(
        hostEvents,
        (e) => e.data.hostId,
        (e) => e.type === 'HostRegistered',
      ),
    };
    for (const event of computeEvents) applyOne(event, tables);
  },
};

function applyOne(event: ComputeCatalogEvent, { flavors, images, keyPairs, hosts }: Folds): void {
  switch (event.type) {
    case 'FlavorCreated': {
      const { flavorId, name, vcpus, ramMiB, diskGiB, at } = event.data;
      flavors.put({ id: flavorId, name, nameKey: nameKey(name), vcpus, ramMiB, diskGiB, createdAt: at });
      return;
    }
    case 'FlavorDeleted':
      flavors.remove(event.data.flavorId);
      return;
    case 'ImageRegistered':
      images.put(newImageRow(event.data, { source: event.data.source, status: 'active', diskFormat: 'qcow2', containerFormat: 'bare', tags: [] }));
      return;
    case 'ImageCreated': {
      const { diskFormat, containerFormat, tags } = event.data;
      images.put(newImageRow(event.data, { source: '', status: 'queued', diskFormat, containerFormat, tags }));
      return;
    }
    case 'ImageDataUploaded': {
      const { imageId, source, sizeBytes, checksum, hashAlgo, hashValue, at } = event.data;
      images.update(imageId, (row) => ({ ...row, status: 'active', source, sizeBytes, checksum, hashAlgo, hashValue, updatedAt: at }));
      return;
    }
    case 'ImageTagAdded':
      images.update(event.data.imageId, (row) => ({ ...row, tags: [...row.tags, event.data.tag], updatedAt: event.data.at }));
      return;
    case 'ImageTagRemoved':
      images.update(event.data.imageId, (row) => ({ ...row, tags: row.tags.filter((t) => t !== event.data.tag), updatedAt: event.data.at }));
      return;
    case 'ImageDeleted':
      images.remove(event.data.imageId);
      return;
    case 'KeyPairImported': {
      const { keyPairId, projectId, name, publicKey, fingerprint, at } = event.data;
      keyPairs.put({ id: keyPairId, projectId, name, nameKey: nameKey(name), publicKey, fingerprint, createdAt: at });
      return;
    }
    case 'KeyPairDeleted':
      keyPairs.remove(event.data.keyPairId);
      return;
    case 'HostRegistered': {
      const { hostId, name, driver, uri, zone, capacity, ratios, at } = event.data;
      hosts.put({
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
        agentId: null,
        createdAt: at,
      });
      return;
    }
    case 'HostAgentAttached':
    case 'HostAgentDetached':
      hosts.update(event.data.hostId, (row) => ({ ...row, agentId: event.type === 'HostAgentAttached' ? event.data.agentId : null }));
      return;
    case 'HostEnabled':
    case 'HostDisabled':
      hosts.update(event.data.hostId, (row) => ({ ...row, enabled: event.type === 'HostEnabled' ? 1 : 0 }));
      return;
    case 'ResourcesClaimed':
    case 'ClaimReleased': {
      const sign = event.type === 'ResourcesClaimed' ? 1 : -1;
      const r = event.data.resources;
      hosts.update(event.data.hostId, (row) => ({
        ...row,
        used: { vcpus: row.used.vcpus + sign * r.vcpus, ramMiB: row.used.ramMiB + sign * r.ramMiB, diskGiB: row.used.diskGiB + sign * r.diskGiB },
      }));
      return;
    }
  }
}
