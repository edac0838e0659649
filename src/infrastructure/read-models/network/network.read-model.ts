import { Page, PageRequest } from '../../../application/shared/paging';
import { nameKey } from '../../../application/shared/unique-names';
import {
  PortView,
  FloatingIpView,
  NetworkReadModel,
  NetworkView,
  RouterView,
  SecurityGroupView,
} from '../../../application/network/ports/network-read-model.port';
import { Database } from '../../persistence/database';
import { toPage } from '../../persistence/paging';
import { RouterRow } from './router.projection';
import { FloatingIpRow, NetworkRow, PortRow, SecurityGroupRow } from './network.tables';

const toNetwork = (r: NetworkRow): NetworkView => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  cidr: r.subnets[0]?.cidr ?? null,
  gateway: r.subnets[0]?.gateway ?? null,
  vlan: r.vlan,
  external: !!Number(r.external),
  shared: !!Number(r.shared),
  subnets: r.subnets.map((s) => ({ ...s, networkId: r.id, projectId: r.projectId })),
  status: 'active',
  usedIps: r.usedIps,
  createdAt: r.createdAt,
});

const toSecurityGroup = (r: SecurityGroupRow): SecurityGroupView => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  rules: r.rules,
  metadata: r.metadata,
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

export class SqlNetworkReadModel implements NetworkReadModel {
  constructor(private readonly db: Database) {}

  /** By id, or by name; with `projectId`, among the project's networks and those every project sees (its own first). */
  async getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null> {
    if (!projectId) {
      const row = await this.db.table(NetworkRow).first('id = ?', [idOrName]);
      return row ? toNetwork(row) : null;
    }
    const rows = await this.db.table(NetworkRow).find({
      where: `(${VISIBLE}) AND (id = ? OR name_key = ?)`,
      params: [projectId, idOrName, nameKey(idOrName)],
      limit: 10,
    });
    const row = rows.find((r) => r.projectId === projectId) ?? rows[0];
    return row ? toNetwork(row) : null;
  }

  async networkOfSubnet(subnetId: string, projectId: string | null): Promise<NetworkView | null> {
    // Subnets live in their network's row: the LIKE narrows the rows, the exact match decides.
    const pattern = `%${subnetId.replace(/[%_\\]/g, '')}%`;
    const table = this.db.table(NetworkRow);
    const rows = projectId
      ? await table.find({ where: 'project_id = ? AND subnets LIKE ?', params: [projectId, pattern] })
      : await table.find({ where: 'subnets LIKE ?', params: [pattern] });
    const row = rows.find((r) => r.subnets.some((s) => s.subnetId === subnetId));
    return row ? toNetwork(row) : null;
  }

  async listNetworks(projectId: string | null, page: PageRequest): Promise<Page<NetworkView>> {
    const visible = projectId ? { where: VISIBLE, params: [projectId] } : {};
    return toPage(await this.db.table(NetworkRow).page(page, visible), page, toNetwork);
  }

  async usedVlans(): Promise<number[]> {
    return (await this.db.query<{ vlan: number }>('SELECT vlan FROM rm_networks')).map((r) => Number(r.vlan));
  }

  async getSecurityGroup(idOrName: string, projectId: string | null): Promise<SecurityGroupView | null> {
    const row = projectId
      ? await this.db.table(SecurityGroupRow).first('project_id = ? AND (id = ? OR name_key = ?)', [projectId, idOrName, nameKey(idOrName)])
      : await this.db.table(SecurityGroupRow).first('id = ?', [idOrName]);
    return row ? toSecurityGroup(row) : null;
  }

  async listSecurityGroups(projectId: string | null, page: PageRequest): Promise<Page<SecurityGroupView>> {
    return toPage(await this.db.table(SecurityGroupRow).page(page, inProject(projectId)), page, toSecurityGroup);
  }

  async getFloatingIp(id: string): Promise<FloatingIpView | null> {
    const row = await this.db.table(FloatingIpRow).first('id = ?', [id]);
    return row ? toFloatingIp(row) : null;
  }

  async listFloatingIps(projectId: string | null, page: PageRequest): Promise<Page<FloatingIpView>> {
    return toPage(await this.db.table(FloatingIpRow).page(page, inProject(projectId)), page, toFloatingIp);
  }

  async usedFloatingAddresses(): Promise<string[]> {
    return (await this.db.query<{ address: string }>('SELECT address FROM rm_floating_ips')).map((r) => r.address);
  }

  async floatingIpsOf(where: { instanceId: string } | { portIds: readonly string[] }): Promise<FloatingIpView[]> {
    if ('portIds' in where && where.portIds.length === 0) return [];
    const query =
      'portIds' in where
        ? { where: `port_id IN (${where.portIds.map(() => '?').join(', ')})`, params: [...where.portIds] }
        : { where: 'instance_id = ?', params: [where.instanceId] };
    return (await this.db.table(FloatingIpRow).find({ ...query, orderBy: 'id' })).map(toFloatingIp);
  }

  async getPort(id: string) {
    const row = await this.db.table(PortRow).first('id = ?', [id]);
    return row ? toPort(row) : null;
  }

  async listPorts(projectId: string | null, page: PageRequest): Promise<Page<PortView>> {
    return toPage(await this.db.table(PortRow).page(page, inProject(projectId)), page, toPort);
  }

  async getRouter(id: string): Promise<RouterView | null> {
    const row = await this.db.table(RouterRow).first('id = ?', [id]);
    return row ? toRouter(row) : null;
  }

  async listRouters(projectId: string | null, page: PageRequest): Promise<Page<RouterView>> {
    return toPage(await this.db.table(RouterRow).page(page, inProject(projectId)), page, toRouter);
  }

  async routersOnNetworks(networkIds: readonly string[]): Promise<RouterView[]> {
    if (networkIds.length === 0) return [];
    // Interfaces live in the router's row: the LIKE narrows the rows, the exact match decides.
    const where = networkIds.map(() => 'interfaces LIKE ?').join(' OR ');
    const rows = await this.db.table(RouterRow).find({ where, params: networkIds.map((id) => `%${id.replace(/[%_\\]/g, '')}%`), orderBy: 'id' });
    return rows.filter((r) => r.interfaces.some((i) => networkIds.includes(i.networkId))).map(toRouter);
  }

  async listPortsOnNetworks(networkIds: readonly string[]): Promise<PortView[]> {
    if (networkIds.length === 0) return [];
    const where = `network_id IN (${networkIds.map(() => '?').join(', ')})`;
    return (await this.db.table(PortRow).find({ where, params: [...networkIds], orderBy: 'id' })).map(toPort);
  }

  async listPortsOnHost(hostId: string): Promise<PortView[]> {
    return (await this.db.table(PortRow).find({ where: 'host_id = ?', params: [hostId], orderBy: 'id' })).map(toPort);
  }

  async groupsWithRemoteRules(): Promise<string[]> {
    const rows = await this.db.table(SecurityGroupRow).find({ where: 'rules LIKE ?', params: ['%remoteGroupId%'], orderBy: 'id' });
    return rows.filter((r) => r.rules.some((rule) => rule.remoteGroupId)).map((r) => r.id);
  }

  async listPortsInSecurityGroup(securityGroupId: string): Promise<PortView[]> {
    // The groups are a JSON array of ids; ids hold no quotes, so a quoted match is exact.
    return (await this.db.table(PortRow).find({ where: 'security_groups LIKE ?', params: [`%"${securityGroupId}"%`], orderBy: 'id' })).map(toPort);
  }
}

const toPort = (r: PortRow): PortView => ({
  id: r.id,
  projectId: r.projectId,
  networkId: r.networkId,
  name: r.name,
  mac: r.mac,
  ip: r.ip,
  instanceId: r.instanceId,
  host: r.hostId,
  status: r.status,
  securityGroups: r.securityGroups,
  router: r.router ?? null,
});

const toRouter = ({ id, projectId, name, gateway, interfaces, createdAt, updatedAt }: RouterRow): RouterView => ({
  id,
  projectId,
  name,
  gateway: gateway ?? null,
  interfaces,
  createdAt,
  updatedAt,
});

/** A project's own networks, and the external and shared ones every project sees. */
const VISIBLE = 'project_id = ? OR external = 1 OR shared = 1';

const inProject = (projectId: string | null) => (projectId ? { where: 'project_id = ?', params: [projectId] } : {});
