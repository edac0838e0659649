import { ComputeReadModel, FlavorView, HostView, ImageView, KeyPairView } from '../../../application/compute/ports/compute-read-model.port';
import { Page, PageRequest } from '../../../application/shared/paging';
import { nameKey } from '../../../application/shared/unique-names';
import { HostDriver, freeOf } from '../../../domain/compute/host/host.decider';
import { Database } from '../../persistence/database';
import { toPage } from '../../persistence/paging';
import { FlavorRow, HostRow, ImageRow, KeyPairRow } from './compute.tables';

const toFlavor = (r: FlavorRow): FlavorView => ({ id: r.id, name: r.name, vcpus: r.vcpus, ramMiB: r.ramMiB, diskGiB: r.diskGiB, createdAt: r.createdAt });
const toImage = (r: ImageRow): ImageView => ({
  id: r.id,
  name: r.name,
  os: r.os,
  minDiskGiB: r.minDiskGiB,
  source: r.source,
  status: r.status,
  diskFormat: r.diskFormat,
  containerFormat: r.containerFormat,
  sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
  checksum: r.checksum,
  hashAlgo: r.hashAlgo,
  hashValue: r.hashValue,
  tags: r.tags,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
const toKeyPair = (r: KeyPairRow): KeyPairView => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  publicKey: r.publicKey,
  fingerprint: r.fingerprint,
  createdAt: r.createdAt,
});
const toHost = (r: HostRow): HostView => ({
  id: r.id,
  name: r.name,
  driver: r.driver as HostDriver,
  uri: r.uri,
  zone: r.zone,
  enabled: r.enabled === 1,
  capacity: r.capacity,
  ratios: r.ratios,
  used: r.used,
  free: freeOf(r.capacity, r.ratios, r.used),
  agent: r.agentId,
  createdAt: r.createdAt,
});

/** The catalog and the hosts, read from their tables. */
export class SqlComputeReadModel implements ComputeReadModel {
  constructor(private readonly db: Database) {}

  async getFlavor(idOrName: string) {
    const row = await this.db.table(FlavorRow).first('id = ? OR name_key = ?', [idOrName, nameKey(idOrName)]);
    return row ? toFlavor(row) : null;
  }

  async listFlavors(page: PageRequest): Promise<Page<FlavorView>> {
    return toPage(await this.db.table(FlavorRow).page(page), page, toFlavor);
  }

  async allFlavors(): Promise<FlavorView[]> {
    return (await this.db.table(FlavorRow).find({ orderBy: 'id' })).map(toFlavor);
  }

  async getImage(idOrName: string) {
    const row = await this.db.table(ImageRow).first('id = ? OR name_key = ?', [idOrName, nameKey(idOrName)]);
    return row ? toImage(row) : null;
  }

  async listImages(page: PageRequest): Promise<Page<ImageView>> {
    return toPage(await this.db.table(ImageRow).page(page), page, toImage);
  }

  async getKeyPair(projectId: string, name: string) {
    const row = await this.db.table(KeyPairRow).first('project_id = ? AND name_key = ?', [projectId, nameKey(name)]);
    return row ? toKeyPair(row) : null;
  }

  async listKeyPairs(projectId: string | null, page: PageRequest): Promise<Page<KeyPairView>> {
    const rows = await this.db.table(KeyPairRow).page(page, projectId ? { where: 'project_id = ?', params: [projectId] } : {});
    return toPage(rows, page, toKeyPair);
  }

  async getHost(idOrName: string) {
    const row = await this.db.table(HostRow).first('id = ? OR name_key = ?', [idOrName, nameKey(idOrName)]);
    return row ? toHost(row) : null;
  }

  async listHosts(page: PageRequest): Promise<Page<HostView>> {
    return toPage(await this.db.table(HostRow).page(page), page, toHost);
  }

  async allHosts(): Promise<HostView[]> {
    return (await this.db.table(HostRow).find({ orderBy: 'id' })).map(toHost);
  }
}
