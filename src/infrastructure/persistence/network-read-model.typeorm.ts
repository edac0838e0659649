import { MoreThan } from 'typeorm';
import { Page, PageRequest } from '../../application/identity/identity-read-model.port';
import { nameKey } from '../../application/identity/name-claims';
import { NetworkReadModel, NetworkView } from '../../application/network/network-read-model.port';
import { Database } from './database';
import { decodeCursor, toPage } from './paging';
import { NetworkRow } from './read-model.entities';

const toNetwork = (r: NetworkRow): NetworkView => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  cidr: r.cidr,
  gateway: r.gateway,
  vlan: r.vlan,
  status: 'active',
  usedIps: r.usedIps,
  createdAt: r.createdAt,
});

export class TypeOrmNetworkReadModel implements NetworkReadModel {
  constructor(private readonly db: Database) {}

  /** By id, or by name within `projectId` (a name is only unique inside its project). */
  async getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null> {
    const scope = projectId ? { projectId } : {};
    const row = await this.db.reader.manager.findOne(NetworkRow, {
      where: [{ id: idOrName, ...scope }, ...(projectId ? [{ nameKey: nameKey(idOrName), projectId }] : [])],
    });
    return row ? toNetwork(row) : null;
  }

  async listNetworks(projectId: string | null, page: PageRequest): Promise<Page<NetworkView>> {
    const cursor = decodeCursor(page.cursor);
    const rows = await this.db.reader.manager.find(NetworkRow, {
      where: { ...(projectId ? { projectId } : {}), ...(cursor ? { id: MoreThan(cursor) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, toNetwork);
  }

  async usedVlans(): Promise<number[]> {
    return (await this.db.reader.manager.find(NetworkRow, { select: { vlan: true } })).map((r) => r.vlan);
  }
}
