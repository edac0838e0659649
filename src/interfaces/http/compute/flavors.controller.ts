import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateFlavor } from '../../../application/compute/commands/create-flavor.command';
import { DeleteFlavor } from '../../../application/compute/commands/delete-flavor.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { CreateFlavorDto } from './compute.dto';

@ApiTags('compute')
@ApiBearerAuth()
@Controller('v1/flavors')
export class FlavorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a flavor (admin)' })
  create(@Body() b: CreateFlavorDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new CreateFlavor(b.name, { vcpus: b.vcpus, ramMiB: b.ramMiB, diskGiB: b.diskGiB }, p, r));
  }

  @Get()
  list(@Query() q: ListQueryDto) {
    return this.queries.listFlavors(pageOf(q));
  }

  @Get(':idOrName')
  get(@Param('idOrName') idOrName: string) {
    return this.queries.getFlavor(idOrName);
  }

  @Delete(':idOrName')
  @HttpCode(204)
  @Access('admin')
  async remove(@Param('idOrName') idOrName: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteFlavor(idOrName, p, r));
  }
}
