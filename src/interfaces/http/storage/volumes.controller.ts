import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Principal } from '../../../application/shared/command-context';
import { ChangeVolume, CreateVolume, VolumeAccepted, VolumeChange } from '../../../application/storage/commands/volume.commands';
import { VolumeQueries } from '../../../application/storage/volume-queries';
import { ListQueryDto, pageOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { AttachVolumeDto, CreateVolumeDto } from './volumes.dto';

@ApiTags('storage')
@ApiBearerAuth()
@Controller('v1/volumes')
export class VolumesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: VolumeQueries,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Create a volume; counts against the volumes and volumeGiB quotas' })
  async create(@Body() b: CreateVolumeDto, @CurrentPrincipal() p: Principal, @RequestId() r: string, @Res({ passthrough: true }) res: Response) {
    return this.located(res, await this.commands.execute(new CreateVolume(b.name, b.sizeGiB, p, r)));
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listVolumes(p, pageOf(q));
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getVolume(p, id);
  }

  @Post(':id/attach')
  @HttpCode(202)
  @ApiOperation({ summary: 'Attach to an active or stopped instance of the same project' })
  async attach(
    @Param('id') id: string,
    @Body() b: AttachVolumeDto,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.change(res, id, { action: 'attach', instanceId: b.instanceId }, p, r);
  }

  @Post(':id/detach')
  @HttpCode(202)
  async detach(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string, @Res({ passthrough: true }) res: Response) {
    return this.change(res, id, { action: 'detach' }, p, r);
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a volume that is not attached (409 otherwise)' })
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string, @Res({ passthrough: true }) res: Response) {
    return this.change(res, id, { action: 'delete' }, p, r);
  }

  private async change(res: Response, id: string, change: VolumeChange, p: Principal, r: string) {
    return this.located(res, await this.commands.execute(new ChangeVolume(id, change, p, r)));
  }

  private located(res: Response, accepted: VolumeAccepted): VolumeAccepted {
    res.setHeader('Location', `/v1/operations/${accepted.operation.id}`);
    return accepted;
  }
}
