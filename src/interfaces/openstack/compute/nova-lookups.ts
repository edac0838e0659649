import { Injectable } from '@nestjs/common';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal, isAdmin } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { Microversion } from './nova-microversion';
import { ServerContext } from './nova-server-view';
import { withinOwnProject } from '../../shared/own-project';

/** The names a server view shows (flavors, networks, security groups) and the floating addresses, read once per request. */
@Injectable()
export class NovaLookups {
  constructor(
    private readonly compute: ComputeQueries,
    private readonly network: NetworkQueries,
  ) {}

  async serverContext(p: Principal, base: string, version: Microversion): Promise<ServerContext> {
    const [flavors, networks, groups, floatingIps] = await Promise.all([
      allItems((page) => this.compute.listFlavors(page)),
      allItems((page) => this.network.listNetworks(p, page)),
      allItems((page) => this.network.listSecurityGroups(p, page)),
      allItems((page) => this.network.listFloatingIps(p, page)),
    ]);
    return {
      base,
      version,
      admin: isAdmin(p),
      flavorNames: new Map(flavors.map((f) => [f.id, f.name])),
      networkNames: new Map(networks.map((n) => [n.id, n.name])),
      groupNames: new Map(groups.map((g) => [g.id, g.name])),
      floatingByPort: new Map(floatingIps.filter((f) => f.portId !== null).map((f) => [f.portId as string, f.address])),
    };
  }

  /** The network a create without networks (or with `auto`) gets: the project's only one. */
  async onlyNetworkOf(p: Principal): Promise<string | null | 'several'> {
    const page = await this.network.listNetworks(withinOwnProject(p), { limit: 2, cursor: null });
    if (page.items.length > 1) return 'several';
    return page.items[0]?.id ?? null;
  }
}
