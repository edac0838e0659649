import { FindOptionsWhere, MoreThan } from 'typeorm';
import { ComputeReadModel, FlavorView, HostView, ImageView, KeyPairView } from '../../../application/compute/ports/compute-read-model.port';
import { Page, PageRequest } from '../../../application/shared/paging';
import { nameKey } from '../../../application/shared/unique-names';
import { HostDriver, freeOf } from '../../../domain/compute/host/host.decider';
import { Database } from '../../persistence/database';
import { decodeCursor, toPage } from '../paging';
import { FlavorRow, HostRow, ImageRow, KeyPairRow } from '../../persistence/read-model.entities';

const toFlavor = (r: FlavorRow): FlavorView => ({ id: r.id, name: r.name, vcpus: r.vcpus, ramMiB: r.ramMiB, diskGiB: r.diskGiB, createdAt: r.createdAt });
const toImage = (r: ImageRow): ImageView => ({ id: r.id, name: r.name, os: r.os, minDiskGiB: r.minDiskGiB, source: r.source, createdAt: r.createdAt });
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

/** `id > cursor` for the next page, in id order. */
const after = <T>(page: PageRequest, where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> => {
  const cursor = decodeCursor(page.cursor);
  return cursor ? ({ ...where, id: MoreThan(cursor) } as FindOptionsWhere<T>) : where;
};

export class TypeOrmComputeReadModel implements ComputeReadModel {
  constructor(private readonly db: Database) {}

  private get m() {
    return this.db.reader.manager;
  }

  async getFlavor(idOrName: string) {
    const [row] = await this.db.table(FlavorRow).where(`id = ${this.db.param(1)} OR name_key = ${this.db.param(2)}`, [idOrName, nameKey(idOrName)]);
    return row ? toFlavor(row) : null;
  }

  async listFlavors(page: PageRequest): Promise<Page<FlavorView>> {
    return toPage(await this.m.find(FlavorRow, { where: after(page), order: { id: 'ASC' }, take: page.limit + 1 }), page, toFlavor);
  }

  async getImage(idOrName: string) {
    const [row] = await this.db.table(ImageRow).where(`id = ${this.db.param(1)} OR name_key = ${this.db.param(2)}`, [idOrName, nameKey(idOrName)]);
    return row ? toImage(row) : null;
  }

  async listImages(page: PageRequest): Promise<Page<ImageView>> {
    return toPage(await this.m.find(ImageRow, { where: after(page), order: { id: 'ASC' }, take: page.limit + 1 }), page, toImage);
  }

  async getKeyPair(projectId: string, name: string) {
    const row = await this.m.findOneBy(KeyPairRow, { projectId, nameKey: nameKey(name) });
    return row ? toKeyPair(row) : null;
  }

  async listKeyPairs(projectId: string | null, page: PageRequest): Promise<Page<KeyPairView>> {
    const where = after<KeyPairRow>(page, projectId ? { projectId } : {});
    return toPage(await this.m.find(KeyPairRow, { where, order: { id: 'ASC' }, take: page.limit + 1 }), page, toKeyPair);
  }

  async getHost(idOrName: string) {
    const row = await this.m.findOne(HostRow, { where: [{ id: idOrName }, { nameKey: nameKey(idOrName) }] });
    return row ? toHost(row) : null;
  }

  async listHosts(page: PageRequest): Promise<Page<HostView>> {
    return toPage(await this.m.find(HostRow, { where: after(page), order: { id: 'ASC' }, take: page.limit + 1 }), page, toHost);
  }
}
