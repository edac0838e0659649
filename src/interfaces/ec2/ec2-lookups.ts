import { Injectable } from '@nestjs/common';
import { ComputeQueries } from '../../application/compute/compute.queries';
import { NetworkQueries } from '../../application/network/network.queries';
import { NetworkView } from '../../application/network/ports/network-read-model.port';
import { Principal } from '../../application/shared/command-context';
import { allItems } from '../../application/shared/paging';
import { withinOwnProject } from '../shared/own-project';

/** What an instance's EC2 view names besides the instance: flavors, groups, floating addresses (read once per request). */
export type Ec2InstanceContext = {
  flavorNames: Map<string, string>;
  groupNames: Map<string, string>;
  floatingByPort: Map<string, string>;
  vpcId: string;
};

@Injectable()
export class Ec2Lookups {
  constructor(
    private readonly compute: ComputeQueries,
    private readonly network: NetworkQueries,
  ) {}

  async instanceContext(p: Principal, vpcId: string): Promise<Ec2InstanceContext> {
    const own = withinOwnProject(p);
    const [flavors, groups, floatingIps] = await Promise.all([
      allItems((page) => this.compute.listFlavors(page)),
      allItems((page) => this.network.listSecurityGroups(own, page)),
      allItems((page) => this.network.listFloatingIps(own, page)),
    ]);
    return {
      flavorNames: new Map(flavors.map((f) => [f.id, f.name])),
      groupNames: new Map(groups.map((g) => [g.id, g.name])),
      floatingByPort: new Map(floatingIps.filter((f) => f.portId !== null).map((f) => [f.portId as string, f.address])),
      vpcId,
    };
  }

  /** The networks the caller's project owns that have an address range: its default VPC's subnets. */
  async ownNetworks(p: Principal): Promise<NetworkView[]> {
    const networks = await allItems((page) => this.network.listNetworks(withinOwnProject(p), page));
    return networks.filter((n) => n.projectId === p.projectId && n.cidr !== null);
  }

  /** A flavor's id by its name (EC2's InstanceType), or null. */
  async flavorIdByName(name: string): Promise<string | null> {
    const flavors = await allItems((page) => this.compute.listFlavors(page));
    return flavors.find((f) => f.name === name)?.id ?? null;
  }
}
