import { In, MoreThan } from 'typeorm';
import { Page, PageRequest } from '../../../application/shared/paging';
import { nameKey } from '../../../application/shared/unique-names';
import { FloatingIpView, NetworkReadModel, NetworkView, SecurityGroupView } from '../../../application/network/ports/network-read-model.port';
import { Database } from '../../persistence/database';
import { decodeCursor, toPage } from '../paging';
import { FloatingIpRow, NetworkRow, SecurityGroupRow } from '../../persistence/read-model.entities';

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

const toSecurityGroup = (r: SecurityGroupRow): SecurityGroupView => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  rules: r.rules,
  createdAt: r.createdAt,
});

const toFloatingIp = (r: FloatingIpRow): FloatingIpView => ({
  id: r.id,
  projectId: r.projectId,
  address: r.address,
  instanceId: r.instanceId,
  portId: r.portId,
  fixedIp: r.fixedIp,
  createdAt: r.createdAt,
});

export class TypeOrmNetworkReadModel implements NetworkReadModel {
  constructor(private readonly db: Database) {}

  /** By id, or by name within `projectId` (a name is only unique inside its project). */
  async getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null> {
    const p = (n: number) => this.db.param(n);
    const [row] = projectId
      ? await this.db.table(NetworkRow).where(`project_id = ${p(1)} AND (id = ${p(2)} OR name_key = ${p(3)})`, [projectId, idOrName, nameKey(idOrName)])
      : await this.db.table(NetworkRow).where(`id = ${p(1)}`, [idOrName]);
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

  async getSecurityGroup(idOrName: string, projectId: string | null): Promise<SecurityGroupView | null> {
    const scope = projectId ? { projectId } : {};
    const row = await this.db.reader.manager.findOne(SecurityGroupRow, {
      where: [{ id: idOrName, ...scope }, ...(projectId ? [{ nameKey: nameKey(idOrName), projectId }] : [])],
    });
    return row ? toSecurityGroup(row) : null;
  }

  async listSecurityGroups(projectId: string | null, page: PageRequest): Promise<Page<SecurityGroupView>> {
    const cursor = decodeCursor(page.cursor);
    const rows = await this.db.reader.manager.find(SecurityGroupRow, {
      where: { ...(projectId ? { projectId } : {}), ...(cursor ? { id: MoreThan(cursor) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, toSecurityGroup);
  }

  async getFloatingIp(id: string): Promise<FloatingIpView | null> {
    const row = await this.db.reader.manager.findOneBy(FloatingIpRow, { id });
    return row ? toFloatingIp(row) : null;
  }

  async listFloatingIps(projectId: string | null, page: PageRequest): Promise<Page<FloatingIpView>> {
    const cursor = decodeCursor(page.cursor);
    const rows = await this.db.reader.manager.find(FloatingIpRow, {
      where: { ...(projectId ? { projectId } : {}), ...(cursor ? { id: MoreThan(cursor) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, toFloatingIp);
  }

  async usedFloatingAddresses(): Promise<string[]> {
    return (await this.db.reader.manager.find(FloatingIpRow, { select: { address: true } })).map((r) => r.address);
  }

  async floatingIpsOf(where: { instanceId: string } | { portIds: readonly string[] }): Promise<FloatingIpView[]> {
    if ('portIds' in where && where.portIds.length === 0) return [];
    const condition = 'portIds' in where ? { portId: In([...where.portIds]) } : where;
    return (await this.db.reader.manager.find(FloatingIpRow, { where: condition, order: { id: 'ASC' } })).map(toFloatingIp);
  }
}
