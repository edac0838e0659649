import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { networkDecider, networkStream } from '../../domain/network/network/network.decider';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { AsOf, stateAsOf } from '../shared/point-in-time';
import { assertInScope, listingScope } from '../identity/public';
import { PageRequest } from '../shared/paging';
import { Principal } from '../shared/command-context';
import { FloatingIpView, PortView, NETWORK_READ_MODEL, NetworkReadModel, NetworkView, SecurityGroupView } from './ports/network-read-model.port';

/** Networks, security groups, floating IPs and ports as the caller may see them: one's project's, or all for an admin. */
@Injectable()
export class NetworkQueries {
  constructor(
    @Inject(NETWORK_READ_MODEL) private readonly readModel: NetworkReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The network now, or as it was at a moment of the log (`asOf`: rebuilt from its stream; by id, or by its name now). */
  async getNetwork(p: Principal, idOrName: string, asOf: AsOf | null = null): Promise<NetworkView> {
    const current = await this.readModel.getNetwork(idOrName, listingScope(p) ?? (idOrName.startsWith('net-') ? null : p.projectId));
    const network = asOf ? await this.networkAsOf(current?.id ?? idOrName, asOf) : current;
    if (!network) throw notFound('NetworkNotFound', 'Network not found');
    assertInScope(p, network.projectId, { code: 'NetworkNotFound', message: 'Network not found' });
    return network;
  }

  private async networkAsOf(id: string, asOf: AsOf): Promise<NetworkView | null> {
    const { state, events } = await stateAsOf(this.store, networkDecider, networkStream(id), asOf);
    if (state.status === 'absent') return null;
    const created = events[0].data as { name: string; at: string };
    return {
      id: state.networkId,
      projectId: state.projectId,
      name: created.name,
      cidr: state.cidr,
      gateway: state.gateway,
      vlan: state.vlan,
      status: state.status,
      usedIps: state.allocations.size,
      createdAt: created.at,
    };
  }

  listNetworks(p: Principal, page: PageRequest) {
    return this.readModel.listNetworks(listingScope(p), page);
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
}
