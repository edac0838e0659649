import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateNetwork } from '../../../application/network/commands/create-network.command';
import { DeleteNetwork } from '../../../application/network/commands/delete-network.command';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf, AsOfQueryDto, asOfOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { CreateNetworkDto } from './network.dto';

@ApiTags('network')
@ApiBearerAuth()
@Controller('v1/networks')
export class NetworksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: NetworkQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant network (one IPv4 CIDR, a gateway, a VLAN); counts against the networks quota' })
  create(@Body() b: CreateNetworkDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(
      new CreateNetwork(b.name, b.cidr ? [{ cidr: b.cidr, gateway: b.gateway }] : [], { vlan: b.vlan, external: b.external, shared: b.shared }, p, r),
    );
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listNetworks(p, pageOf(q));
  }

  @Get(':idOrName')
  get(@Param('idOrName') idOrName: string, @Query() q: AsOfQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.getNetwork(p, idOrName, asOfOf(q));
  }

  @Delete(':idOrName')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an unused network (409 NetworkInUse while it has ports)' })
  async remove(@Param('idOrName') idOrName: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteNetwork(idOrName, p, r));
  }
}
