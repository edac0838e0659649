import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { networkDecider, networkStream } from '../../domain/network/network/network.decider';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { AsOf, stateAsOf } from '../shared/point-in-time';
import { assertInScope, listingScope } from '../identity/public';
import { PageRequest, allItems } from '../shared/paging';
import { Principal } from '../shared/command-context';
import {
  FloatingIpView,
  PortView,
  NETWORK_READ_MODEL,
  NetworkReadModel,
  NetworkView,
  RouterView,
  SecurityGroupView,
  SubnetView,
} from './ports/network-read-model.port';
import { POOL_NETWORK_ID, POOL_SUBNET_ID, poolNetwork } from './floating-pool';
import { NETWORK_SETTINGS, NetworkSettings } from './network.settings';

/** External and shared networks are seen (not changed) by every project. */
const isVisibleToAll = (n: NetworkView) => n.external || n.shared;

/** Networks, security groups, floating IPs and ports as the caller may see them: one's project's, or all for an admin. */
@Injectable()
export class NetworkQueries {
  constructor(
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NETWORK_SETTINGS) settings: NetworkSettings,
  ) {
    this.pool = poolNetwork(settings.floatingIpPool);
  }

  /** The floating-IP pool as the external network `public` (see floating-pool). */
  readonly pool: NetworkView;

  /** The network now, or as it was at a moment of the log (`asOf`: rebuilt from its stream; by id, or by its name now). */
  async getNetwork(p: Principal, idOrName: string, asOf: AsOf | null = null): Promise<NetworkView> {
    const current =
      (await this.readModel.getNetwork(idOrName, listingScope(p) ?? (idOrName.startsWith('net-') ? null : p.projectId))) ??
      ([POOL_NETWORK_ID, 'public'].includes(idOrName) ? this.pool : null);
    if (current?.id === POOL_NETWORK_ID) return current;
    const network = asOf ? await this.networkAsOf(current?.id ?? idOrName, asOf) : current;
    if (!network) throw notFound('NetworkNotFound', 'Network not found');
    if (!isVisibleToAll(network)) assertInScope(p, network.projectId, { code: 'NetworkNotFound', message: 'Network not found' });
    return network;
  }

  /** A network the caller may change: its project's (an admin's: any). */
  async getOwnNetwork(p: Principal, idOrName: string): Promise<NetworkView> {
    const network = await this.getNetwork(p, idOrName);
    assertInScope(p, network.projectId, { code: 'NetworkNotFound', message: 'Network not found' });
    return network;
  }

  /** A subnet with its network (the caller's, or an external or shared one). */
  async getSubnet(p: Principal, subnetId: string): Promise<{ network: NetworkView; subnet: SubnetView }> {
    const network = subnetId === POOL_SUBNET_ID ? this.pool : await this.readModel.networkOfSubnet(subnetId, null);
    const subnet = network?.subnets.find((s) => s.subnetId === subnetId);
    if (!network || !subnet) throw notFound('SubnetNotFound', 'Subnet not found');
    if (!isVisibleToAll(network)) assertInScope(p, network.projectId, { code: 'SubnetNotFound', message: 'Subnet not found' });
    return { network, subnet };
  }

  private async networkAsOf(id: string, asOf: AsOf): Promise<NetworkView | null> {
    const { state, events } = await stateAsOf(this.store, networkDecider, networkStream(id), asOf);
    if (state.status === 'absent') return null;
    const created = events[0].data as { name: string; at: string; shared: boolean };
    const subnets = state.subnets.map((s) => ({
      ...s,
      networkId: state.networkId,
      projectId: state.projectId,
      usedIps: state.usage[s.subnetId]?.used ?? 0,
      createdAt: created.at,
    }));
    return {
      id: state.networkId,
      projectId: state.projectId,
      name: created.name,
      cidr: subnets[0]?.cidr ?? null,
      gateway: subnets[0]?.gateway ?? null,
      vlan: state.vlan,
      external: state.external,
      shared: created.shared,
      subnets,
      status: state.status,
      usedIps: state.allocations.size,
      createdAt: created.at,
    };
  }

  listNetworks(p: Principal, page: PageRequest) {
    return this.readModel.listNetworks(listingScope(p), page);
  }

  /** Every network the caller sees, the floating-IP pool last, by id. */
  async networksById(p: Principal): Promise<Map<string, NetworkView>> {
    const all = [...(await allItems((page) => this.listNetworks(p, page))), this.pool];
    return new Map(all.map((n) => [n.id, n]));
  }

  async getSecurityGroup(p: Principal, idOrName: string): Promise<SecurityGroupView> {
    const group = await this.readModel.getSecurityGroup(idOrName, listingScope(p) ?? (idOrName.startsWith('sg-') ? null : p.projectId));
    if (!group) throw notFound('SecurityGroupNotFound', 'Security group not found');
    assertInScope(p, group.projectId, { code: 'SecurityGroupNotFound', message: 'Security group not found' });
    return group;
  }

  listSecurityGroups(p: Principal, page: PageRequest) {
    return this.readModel.listSecurityGroups(listingScope(p), page);
  }

  async getFloatingIp(p: Principal, id: string): Promise<FloatingIpView> {
    const fip = await this.readModel.getFloatingIp(id);
    if (!fip) throw notFound('FloatingIpNotFound', 'Floating IP not found');
    assertInScope(p, fip.projectId, { code: 'FloatingIpNotFound', message: 'Floating IP not found' });
    return fip;
  }

  listFloatingIps(p: Principal, page: PageRequest) {
    return this.readModel.listFloatingIps(listingScope(p), page);
  }

  async getPort(p: Principal, id: string): Promise<PortView> {
    const port = await this.readModel.getPort(id);
    if (!port) throw notFound('PortNotFound', 'Port not found');
    assertInScope(p, port.projectId, { code: 'PortNotFound', message: 'Port not found' });
    return port;
  }

  listPorts(p: Principal, page: PageRequest) {
    return this.readModel.listPorts(listingScope(p), page);
  }

  async getRouter(p: Principal, id: string): Promise<RouterView> {
    const router = await this.readModel.getRouter(id);
    if (!router) throw notFound('RouterNotFound', 'Router not found');
    assertInScope(p, router.projectId, { code: 'RouterNotFound', message: 'Router not found' });
    return router;
  }

  listRouters(p: Principal, page: PageRequest) {
    return this.readModel.listRouters(listingScope(p), page);
  }
}
