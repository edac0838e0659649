import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { AllocateFloatingIp } from '../../../application/network/commands/allocate-floating-ip.command';
import { ChangeFloatingIp } from '../../../application/network/commands/change-floating-ip.command';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { CreateStandalonePort, DeleteStandalonePort } from '../../../application/network/commands/standalone-ports.command';
import { NetworkQueries } from '../../../application/network/network.queries';
import { FloatingIpView, PortView } from '../../../application/network/ports/network-read-model.port';
import { Principal, isAdmin } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { isObject } from '../shared/openstack-body';
import { RawQuery } from '../shared/openstack-query';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { neutronListing } from './neutron-filter';
import { portRequest } from './neutron-requests';
import { neutronFloatingIp, neutronPort } from './neutron-resource-views';
import { EXTERNAL_NETWORK_ID } from './neutron-views';

/** Neutron's ports (made with their servers, or on their own for a server to boot on) and floating IPs over Network's. */
@ApiExcludeController()
@Controller('network/v2.0')
export class NeutronPortsFloatingIpsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly network: NetworkQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
    private readonly instances: InstanceQueries,
  ) {}

  @Get('ports')
  async ports(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const ports = await allItems((page) => this.network.listPorts(p, page));
    const networks = await this.network.networksById(p);
    return neutronListing(
      'ports',
      ports.map((port) => neutronPort(port, isAdmin(p), networks)),
      q,
      req,
      baseUrlOf(req, this.settings),
    );
  }

  @Get('ports/:id')
  async port(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    if (!id.startsWith('port-')) throw notFound('PortNotFound', `Port ${id} could not be found.`);
    return { port: neutronPort(await this.network.getPort(p, id), isAdmin(p), await this.network.networksById(p)) };
  }

  /** A port on its own, for `server create --port`. */
  @Post('ports')
  @HttpCode(201)
  async createPort(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const { networkId, name, subnetId, ip, securityGroups } = portRequest(body);
    if (!networkId.startsWith('net-')) throw notFound('NetworkNotFound', `Network ${networkId} could not be found.`);
    const port: PortView = await this.commands.execute(new CreateStandalonePort(networkId, { name, subnetId, ip, securityGroups }, p, r));
    return { port: neutronPort(port, isAdmin(p), await this.network.networksById(p)) };
  }

  /** 409 while a server or a router holds it. */
  @Delete('ports/:id')
  @HttpCode(204)
  async deletePort(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    if (!id.startsWith('port-')) throw notFound('PortNotFound', `Port ${id} could not be found.`);
    await this.commands.execute(new DeleteStandalonePort(id, p, r));
  }

  @Get('floatingips')
  async floatingIps(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const all = await allItems((page) => this.network.listFloatingIps(p, page));
    return neutronListing('floatingips', all.map(neutronFloatingIp), q, req, baseUrlOf(req, this.settings));
  }

  @Get('floatingips/:id')
  async floatingIp(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { floatingip: neutronFloatingIp(await this.byId(p, id)) };
  }

  /** From the external network (the pool), associated at once when a port is given. */
  @Post('floatingips')
  @HttpCode(201)
  async allocate(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const request = isObject(body) ? body.floatingip : undefined;
    if (!isObject(request)) throw invalid('BadRequest', 'Expected {"floatingip": {...}}');
    if (request.floating_network_id !== EXTERNAL_NETWORK_ID)
      throw notFound('ExternalNetworkNotFound', `The external network is ${EXTERNAL_NETWORK_ID} ("public")`);
    if (request.floating_ip_address !== undefined && request.floating_ip_address !== null) throw invalid('BadRequest', 'The address is chosen by the cloud');
    const port = request.port_id === undefined || request.port_id === null ? null : await this.portOf(p, request.port_id);
    const allocated: FloatingIpView = await this.commands.execute(new AllocateFloatingIp(p, r));
    if (!port) return { floatingip: neutronFloatingIp(allocated) };
    return { floatingip: neutronFloatingIp(await this.associate(allocated.id, port, p, r)) };
  }

  /** `{"floatingip": {"port_id": …}}` associates, `null` disassociates. */
  @Put('floatingips/:id')
  async update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const fip = await this.byId(p, id);
    const request = isObject(body) ? body.floatingip : undefined;
    if (!isObject(request) || !('port_id' in request)) throw invalid('BadRequest', 'Expected {"floatingip": {"port_id": ...}}');
    if (request.port_id === null) {
      const after: FloatingIpView = await this.commands.execute(new ChangeFloatingIp(fip.id, 'disassociate', p, r));
      return { floatingip: neutronFloatingIp(after) };
    }
    return { floatingip: neutronFloatingIp(await this.associate(fip.id, await this.portOf(p, request.port_id), p, r)) };
  }

  @Delete('floatingips/:id')
  @HttpCode(204)
  async release(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new ChangeFloatingIp((await this.byId(p, id)).id, 'release', p, r));
  }

  private async byId(p: Principal, id: string): Promise<FloatingIpView> {
    if (!id.startsWith('fip-')) throw notFound('FloatingIPNotFound', `Floating IP ${id} could not be found.`);
    return this.network.getFloatingIp(p, id);
  }

  private async portOf(p: Principal, portId: unknown): Promise<PortView> {
    if (typeof portId !== 'string' || !portId.startsWith('port-')) throw notFound('PortNotFound', `Port ${String(portId)} could not be found.`);
    return this.network.getPort(p, portId);
  }

  /** To the port's server: a floating IP goes to a server's first port here, so another port is refused. */
  private async associate(fipId: string, port: PortView, p: Principal, r: string): Promise<FloatingIpView> {
    if (!port.instanceId) throw invalid('BadRequest', `Port ${port.id} has no server`);
    const first = (await this.instances.getInstance(p, port.instanceId)).addresses[0];
    if (first && first.portId !== port.id) throw invalid('BadRequest', 'A floating IP goes to the first port of a server here');
    return this.commands.execute(new ChangeFloatingIp(fipId, { associate: port.instanceId }, p, r));
  }
}
