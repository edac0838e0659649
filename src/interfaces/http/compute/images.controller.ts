import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeleteImage } from '../../../application/compute/commands/delete-image.command';
import { RegisterImage } from '../../../application/compute/commands/register-image.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { Principal } from '../../../application/shared/command-context';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { Access, CurrentPrincipal, RequestId } from '../shared/decorators';
import { CreateImageDto } from './compute.dto';

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
