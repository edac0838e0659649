import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegisterHost } from '../../../application/compute/commands/register-host.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { RegisterHostDto } from './compute.dto';

@ApiTags('compute')
@ApiBearerAuth()
@Controller('v1/hosts')
export class HostsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Register a compute host (admin); allocation ratios default to cpu 16, ram 1.5, disk 1' })
  create(@Body() b: RegisterHostDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(
      new RegisterHost(b.name, b.driver, b.uri ?? null, { vcpus: b.vcpus, ramMiB: b.ramMiB, diskGiB: b.diskGiB }, b.zone ?? null, p, r),
    );
  }

  @Get()
  @ApiOperation({ summary: 'Hosts with capacity, used and free resources' })
  list(@Query() q: ListQueryDto) {
    return this.queries.listHosts(pageOf(q));
  }

  @Get(':idOrName')
  get(@Param('idOrName') idOrName: string) {
    return this.queries.getHost(idOrName);
  }
}
