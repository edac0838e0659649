import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AddSubnet, DeleteSubnet } from '../../../application/network/commands/change-subnets.command';
import { ChangeRouter, RouterChange } from '../../../application/network/commands/router.commands';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { CreateRouterDto, CreateSubnetDto, RouterGatewayDto, RouterInterfaceDto } from './subnet-router.dto';

@ApiTags('network')
@ApiBearerAuth()
@Controller('v1')
export class SubnetsRoutersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: NetworkQueries,
  ) {}

  @Post('networks/:idOrName/subnets')
  @ApiOperation({ summary: 'Add an IPv4 subnet to a network (409 SubnetOverlaps when it overlaps another of its subnets)' })
  addSubnet(@Param('idOrName') idOrName: string, @Body() b: CreateSubnetDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new AddSubnet(idOrName, { ...b, name: b.name ?? '' }, p, r));
  }

  @Get('subnets/:id')
  async subnet(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return (await this.queries.getSubnet(p, id)).subnet;
  }

  @Delete('subnets/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subnet (409 SubnetInUse while a port or a router interface holds one of its addresses)' })
  async deleteSubnet(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteSubnet(id, p, r));
  }

  @Post('routers')
  @ApiOperation({ summary: 'Create a router' })
  createRouter(@Body() b: CreateRouterDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.change(null, { kind: 'create', name: b.name }, p, r);
  }

  @Get('routers')
  listRouters(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listRouters(p, pageOf(q));
  }

  @Get('routers/:id')
  router(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getRouter(p, id);
  }

  @Put('routers/:id/gateway')
  @ApiOperation({ summary: "Set the router's gateway on an external network (an address of it is taken)" })
  setGateway(@Param('id') id: string, @Body() b: RouterGatewayDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.change(id, { kind: 'gateway', network: b.network }, p, r);
  }

  @Delete('routers/:id/gateway')
  clearGateway(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.change(id, { kind: 'gateway', network: null }, p, r);
  }

  @Post('routers/:id/interfaces')
  @ApiOperation({ summary: "Join a subnet to the router (its gateway address becomes the router's; 409 GatewayInUse if another router has it)" })
  addInterface(@Param('id') id: string, @Body() b: RouterInterfaceDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.change(id, { kind: 'add-interface', subnetId: b.subnetId }, p, r);
  }

  @Delete('routers/:id/interfaces/:subnetId')
  removeInterface(@Param('id') id: string, @Param('subnetId') subnetId: string, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.change(id, { kind: 'remove-interface', subnetId }, p, r);
  }

  @Delete('routers/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a router without interfaces (409 RouterInUse); its gateway goes with it' })
  async deleteRouter(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.change(id, { kind: 'delete' }, p, r);
  }

  private change(routerId: string | null, change: RouterChange, p: Principal, r: string) {
    return this.commands.execute(new ChangeRouter(routerId, change, p, r));
  }
}
