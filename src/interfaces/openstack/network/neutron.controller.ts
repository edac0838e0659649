import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { AddSubnet, DeleteSubnet } from '../../../application/network/commands/change-subnets.command';
import { CreateNetwork } from '../../../application/network/commands/create-network.command';
import { DeleteNetwork } from '../../../application/network/commands/delete-network.command';
import { NetworkQueries } from '../../../application/network/network.queries';
import { NetworkView, SubnetView } from '../../../application/network/ports/network-read-model.port';
import { Principal, isAdmin } from '../../../application/shared/command-context';
import { notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { RawQuery } from '../shared/openstack-query';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { neutronListing } from './neutron-filter';
import { networkRequest, subnetRequest } from './neutron-requests';
import { neutronNetwork, neutronSubnet } from './neutron-views';

/** What this Neutron implements, as its extension aliases (clients ask before using some features). */
const EXTENSIONS = [
  ['external-net', 'Neutron external network'],
  ['router', 'Neutron L3 Router'],
  ['ext-gw-mode', 'Neutron L3 Configurable external gateway mode'],
  ['security-group', 'security-group'],
  ['quotas', 'Quota management support'],
  ['provider', 'Provider Network'],
  ['port-security', 'Port Security'],
];

/** Neutron v2.0's networks and subnets over ours, with the floating-IP pool as the external network `public`. */
@ApiExcludeController()
@Controller('network/v2.0')
export class NeutronController {
  constructor(
    private readonly commands: CommandBus,
    private readonly network: NetworkQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
    private readonly identity: IdentityQueries,
  ) {}

  @Get('extensions')
  extensions() {
    const extensions = EXTENSIONS.map(([alias, name]) => ({ alias, name, description: name, links: [], updated: '2026-01-01T00:00:00-00:00' }));
    return { extensions };
  }

  @Get('networks')
  async networks(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const all = (await this.all(p)).map((n) => neutronNetwork(n, isAdmin(p)));
    return neutronListing('networks', all, q, req, baseUrlOf(req, this.settings));
  }

  @Get('networks/:id')
  async networkOf(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { network: neutronNetwork(await this.one(p, id), isAdmin(p)) };
  }

  @Post('networks')
  @HttpCode(201)
  async createNetwork(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const { name, options } = networkRequest(body);
    const created: NetworkView = await this.commands.execute(new CreateNetwork(name, [], options, p, r));
    return { network: neutronNetwork(created, isAdmin(p)) };
  }

  /** Its subnets go with it; 409 while it has ports (a server's or a router's). */
  @Delete('networks/:id')
  @HttpCode(204)
  async deleteNetwork(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteNetwork((await this.one(p, id)).id, p, r));
  }

  @Get('subnets')
  async subnets(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const all = (await this.all(p)).flatMap((n) => n.subnets).map(neutronSubnet);
    return neutronListing('subnets', all, q, req, baseUrlOf(req, this.settings));
  }

  @Get('subnets/:id')
  async subnet(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { subnet: neutronSubnet((await this.network.getSubnet(p, id)).subnet) };
  }

  @Post('subnets')
  @HttpCode(201)
  async createSubnet(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const { networkId, subnet } = subnetRequest(body);
    const network = await this.one(p, networkId);
    const created: SubnetView = await this.commands.execute(new AddSubnet(network.id, subnet, p, r));
    return { subnet: neutronSubnet(created) };
  }

  /** 409 while an address of it is in use (a port, a router's interface). */
  @Delete('subnets/:id')
  @HttpCode(204)
  async deleteSubnet(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteSubnet(id, p, r));
  }

  /** The project's network quotas: networks and floating IPs are limited; subnets, ports, routers and groups are not. */
  @Get('quotas/:projectId')
  async quotas(@Param('projectId') projectId: string, @CurrentPrincipal() p: Principal) {
    const usage = await this.identity.usage(p, projectId);
    return {
      quota: {
        network: usage.networks.limit,
        subnet: -1,
        floatingip: usage.floatingIps.limit,
        port: -1,
        router: -1,
        security_group: -1,
        security_group_rule: -1,
        rbac_policy: -1,
        subnetpool: -1,
      },
    };
  }

  /** The caller's networks, the external and shared ones, and the floating-IP pool. */
  private async all(p: Principal): Promise<NetworkView[]> {
    return [...(await this.network.networksById(p)).values()];
  }

  /** By id only (Neutron has no lookup by name on this path). */
  private async one(p: Principal, id: string): Promise<NetworkView> {
    if (!id.startsWith('net-')) throw notFound('NetworkNotFound', `Network ${id} could not be found.`);
    return this.network.getNetwork(p, id);
  }
}
