import { Page, PageRequest } from '../../../application/shared/paging';
import { nameKey } from '../../../application/shared/unique-names';
import { PortView, FloatingIpView, NetworkReadModel, NetworkView, SecurityGroupView } from '../../../application/network/ports/network-read-model.port';
import { Database } from '../../persistence/database';
import { toPage } from '../../persistence/paging';
import { FloatingIpRow, NetworkRow, PortRow, SecurityGroupRow } from './network.tables';

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

export class SqlNetworkReadModel implements NetworkReadModel {
  constructor(private readonly db: Database) {}

  /** By id, or by name within `projectId` (a name is only unique inside its project). */
  async getNetwork(idOrName: string, projectId: string | null): Promise<NetworkView | null> {
    const row = projectId
      ? await this.db.table(NetworkRow).first('project_id = ? AND (id = ? OR name_key = ?)', [projectId, idOrName, nameKey(idOrName)])
      : await this.db.table(NetworkRow).first('id = ?', [idOrName]);
    return row ? toNetwork(row) : null;
  }

  async listNetworks(projectId: string | null, page: PageRequest): Promise<Page<NetworkView>> {
    return toPage(await this.db.table(NetworkRow).page(page, inProject(projectId)), page, toNetwork);
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

  async listPortsOnHost(hostId: string): Promise<PortView[]> {
    return (await this.db.table(PortRow).find({ where: 'host_id = ?', params: [hostId], orderBy: 'id' })).map(toPort);
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
  mac: r.mac,
  ip: r.ip,
  instanceId: r.instanceId,
  host: r.hostId,
  status: r.status,
  securityGroups: r.securityGroups,
});

const inProject = (projectId: string | null) => (projectId ? { where: 'project_id = ?', params: [projectId] } : {});
