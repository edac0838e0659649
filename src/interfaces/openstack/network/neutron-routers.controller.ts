import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { ChangeRouter, RouterChange } from '../../../application/network/commands/router.commands';
import { NetworkQueries } from '../../../application/network/network.queries';
import { RouterView } from '../../../application/network/ports/network-read-model.port';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { RawQuery } from '../shared/openstack-query';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { neutronListing } from './neutron-filter';
import { interfaceRequest, routerRequest } from './neutron-requests';
import { neutronRouter } from './neutron-views';

/** Neutron v2.0's routers: create with or without a gateway, set or clear it, add and remove subnet interfaces, delete. */
@ApiExcludeController()
@Controller('network/v2.0/routers')
export class NeutronRoutersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly network: NetworkQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get()
  async list(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const routers = await allItems((page) => this.network.listRouters(p, page));
    const networks = await this.network.networksById(p);
    return neutronListing(
      'routers',
      routers.map((r) => neutronRouter(r, networks)),
      q,
      req,
      baseUrlOf(req, this.settings),
    );
  }

  @Get(':id')
  async show(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { router: await this.view(await this.byId(p, id), p) };
  }

  @Post()
  @HttpCode(201)
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const request = routerRequest(body);
    const router = await this.change(null, { kind: 'create', name: request.name ?? '', ...(request.gateway ? { gateway: request.gateway } : {}) }, p, r);
    return { router: await this.view(router, p) };
  }

  @Put(':id')
  async update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const router = await this.byId(p, id);
    const request = routerRequest(body);
    let after = router;
    if (request.name !== undefined) after = await this.change(router.id, { kind: 'rename', name: request.name }, p, r);
    if (request.gateway !== undefined) after = await this.change(router.id, { kind: 'gateway', network: request.gateway }, p, r);
    return { router: await this.view(after, p) };
  }

  /** 409 while it has interfaces; its gateway goes with it. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new ChangeRouter((await this.byId(p, id)).id, { kind: 'delete' }, p, r));
  }

  @Put(':id/add_router_interface')
  async addInterface(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const { subnetId } = interfaceRequest(body);
    if (!subnetId) throw notFound('PortNotFound', 'A router interface is added by subnet here (ports of ones own are not supported)');
    const router = await this.change((await this.byId(p, id)).id, { kind: 'add-interface', subnetId }, p, r);
    return interfaceInfo(
      router,
      router.interfaces.find((i) => i.subnetId === subnetId),
    );
  }

  @Put(':id/remove_router_interface')
  async removeInterface(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const { subnetId, portId } = interfaceRequest(body);
    const router = await this.byId(p, id);
    const leg = router.interfaces.find((i) => i.subnetId === subnetId || i.portId === portId);
    await this.change(router.id, { kind: 'remove-interface', subnetId, portId }, p, r);
    return interfaceInfo(router, leg);
  }

  private change(routerId: string | null, change: RouterChange, p: Principal, r: string): Promise<RouterView> {
    return this.commands.execute(new ChangeRouter(routerId, change, p, r));
  }

  private byId(p: Principal, id: string): Promise<RouterView> {
    if (!id.startsWith('rtr-')) throw notFound('RouterNotFound', `Router ${id} could not be found`);
    return this.network.getRouter(p, id);
  }

  private async view(router: RouterView, p: Principal) {
    return neutronRouter(router, await this.network.networksById(p));
  }
}

const interfaceInfo = (router: RouterView, leg: RouterView['interfaces'][number] | undefined) => ({
  id: router.id,
  tenant_id: router.projectId,
  project_id: router.projectId,
  subnet_id: leg?.subnetId,
  subnet_ids: leg ? [leg.subnetId] : [],
  port_id: leg?.portId,
  network_id: leg?.networkId,
});
