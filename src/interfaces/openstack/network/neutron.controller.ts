import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { NetworkQueries } from '../../../application/network/network.queries';
import { NetworkView } from '../../../application/network/ports/network-read-model.port';
import { Principal, isAdmin } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal } from '../../http/shared/decorators';
import { RawQuery } from '../shared/openstack-query';
import { matchesQuery } from './neutron-filter';
import { EXTERNAL_NETWORK_ID, externalNetwork, networkIdOfSubnet, neutronNetwork, neutronSubnet } from './neutron-views';
import { OPENSTACK_SETTINGS, OpenStackSettings } from '../shared/openstack.settings';

/** Neutron v2.0's networks and subnets over our networks (one IPv4 subnet each): what a server's networks need. */
@ApiExcludeController()
@Controller('network/v2.0')
export class NeutronController {
  constructor(
    private readonly network: NetworkQueries,
    private readonly identity: IdentityQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get('networks')
  async networks(@Query() q: RawQuery, @CurrentPrincipal() p: Principal) {
    const all = (await this.all(p)).map((n) => neutronNetwork(n, isAdmin(p)));
    return { networks: all.filter((n) => matchesQuery(n, q)) };
  }

  @Get('networks/:id')
  async networkOf(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { network: neutronNetwork(await this.one(p, id), isAdmin(p)) };
  }

  @Get('subnets')
  async subnets(@Query() q: RawQuery, @CurrentPrincipal() p: Principal) {
    return { subnets: (await this.all(p)).map(neutronSubnet).filter((s) => matchesQuery(s, q)) };
  }

  @Get('subnets/:id')
  async subnet(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { subnet: neutronSubnet(await this.one(p, networkIdOfSubnet(id))) };
  }

  /** The project's network quotas: networks (one subnet each) and floating IPs are limited; ports and groups are not; routers do not exist yet. */
  @Get('quotas/:projectId')
  async quotas(@Param('projectId') projectId: string, @CurrentPrincipal() p: Principal) {
    const usage = await this.identity.usage(p, projectId);
    const networks = usage.networks.limit;
    return {
      quota: {
        network: networks,
        subnet: networks,
        floatingip: usage.floatingIps.limit,
        port: -1,
        router: 0,
        security_group: -1,
        security_group_rule: -1,
        rbac_policy: -1,
        subnetpool: -1,
      },
    };
  }

  /** The caller's networks, and the external one every project sees (the floating-IP pool). */
  private async all(p: Principal): Promise<NetworkView[]> {
    return [...(await allItems((page) => this.network.listNetworks(p, page))), externalNetwork(this.settings.floatingIpPool)];
  }

  /** By id only (Neutron has no lookup by name on this path). */
  private async one(p: Principal, id: string): Promise<NetworkView> {
    if (id === EXTERNAL_NETWORK_ID) return externalNetwork(this.settings.floatingIpPool);
    if (!id.startsWith('net-')) throw notFound('NetworkNotFound', `Network ${id} could not be found.`);
    return this.network.getNetwork(p, id);
  }
}
