import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllocateFloatingIp } from '../../../application/network/commands/allocate-floating-ip.command';
import { ChangeFloatingIp } from '../../../application/network/commands/change-floating-ip.command';
import { NetworkQueries } from '../../../application/network/network.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { AssociateFloatingIpDto } from './network.dto';

@ApiTags('network')
@ApiBearerAuth()
@Controller('v1/floating-ips')
export class FloatingIpsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: NetworkQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Allocate a public address from the pool (ORCH_FLOATING_IP_POOL); counts against the floatingIps quota' })
  allocate(@CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new AllocateFloatingIp(p, r));
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listFloatingIps(p, pageOf(q));
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getFloatingIp(p, id);
  }

  @Post(':id/associate')
  @HttpCode(200)
  @ApiOperation({ summary: "Map the address to an active or stopped instance's first port (409 FloatingIpInUse when mapped elsewhere)" })
  associate(@Param('id') id: string, @Body() b: AssociateFloatingIpDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ChangeFloatingIp(id, { associate: b.instanceId }, p, r));
  }

  @Post(':id/disassociate')
  @HttpCode(200)
  disassociate(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ChangeFloatingIp(id, 'disassociate', p, r));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Release the address back to the pool (disassociating it first)' })
  async release(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new ChangeFloatingIp(id, 'release', p, r));
  }
}
