import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateFlavor, DeleteFlavor, DeleteImage, RegisterImage } from '../../../application/compute/commands/catalog.commands';
import { DeleteKeyPair, ImportKeyPair } from '../../../application/compute/commands/keypair.commands';
import { RegisterHost } from '../../../application/compute/commands/register-host.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { CreateFlavorDto, CreateImageDto, ImportKeyPairDto, RegisterHostDto } from './compute.dto';

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

@ApiTags('compute')
@ApiBearerAuth()
@Controller('v1/images')
export class ImagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Register an image (admin)' })
  create(@Body() b: CreateImageDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new RegisterImage(b.name, b.os, b.minDiskGiB, b.source, p, r));
  }

  @Get()
  list(@Query() q: ListQueryDto) {
    return this.queries.listImages(pageOf(q));
  }

  @Get(':idOrName')
  get(@Param('idOrName') idOrName: string) {
    return this.queries.getImage(idOrName);
  }

  @Delete(':idOrName')
  @HttpCode(204)
  @Access('admin')
  async remove(@Param('idOrName') idOrName: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteImage(idOrName, p, r));
  }
}

@ApiTags('compute')
@ApiBearerAuth()
@Controller('v1/keypairs')
export class KeyPairsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Import an SSH public key into the project' })
  create(@Body() b: ImportKeyPairDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ImportKeyPair(b.name, b.publicKey, p, r));
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listKeyPairs(p, pageOf(q));
  }

  @Get(':name')
  get(@Param('name') name: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getKeyPair(p, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteKeyPair(name, p, r));
  }
}

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
