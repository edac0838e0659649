import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Principal } from '../../../application/shared/command-context';
import { ChangeVolume, VolumeChange } from '../../../application/storage/commands/change-volume.command';
import { CreateVolume } from '../../../application/storage/commands/create-volume.command';
import { VolumeAccepted } from '../../../application/storage/volume-accepted';
import { CreateSnapshot } from '../../../application/storage/commands/create-snapshot.command';
import { DeleteSnapshot } from '../../../application/storage/commands/delete-snapshot.command';
import { SnapshotAccepted } from '../../../application/storage/snapshot-changes';
import { VolumeQueries } from '../../../application/storage/volume.queries';
import { ListQueryDto, pageOf, AsOfQueryDto, asOfOf } from '../shared/common.dto';
import { CurrentPrincipal, RequestId } from '../shared/decorators';
import { AttachVolumeDto, CreateSnapshotDto, CreateVolumeDto, ExtendVolumeDto, RenameVolumeDto } from './volumes.dto';
import { ExtendVolume, RenameVolume } from '../../../application/storage/commands/rename-volume.command';

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
  @ApiOperation({ summary: 'Create a volume, blank, restored from a snapshot or (bootable) from an image; counts against the volumes and volumeGiB quotas' })
  async create(@Body() b: CreateVolumeDto, @CurrentPrincipal() p: Principal, @RequestId() r: string, @Res({ passthrough: true }) res: Response) {
    const command = new CreateVolume(b.name, b.sizeGiB, p, r, b.snapshotId ?? null, b.imageId ?? null, b.description ?? '');
    return this.located(res, await this.commands.execute(command));
  }

  @Get()
  list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listVolumes(p, pageOf(q));
  }

  @Get(':id')
  get(@Param('id') id: string, @Query() q: AsOfQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.getVolume(p, id, asOfOf(q));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a volume or change its description (recorded at once)' })
  rename(@Param('id') id: string, @Body() b: RenameVolumeDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new RenameVolume(id, b.name ?? null, p, r, b.description));
  }

  @Post(':id/extend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Grow an available data volume (status extending, then available at the new size; the extra GiB count against volumeGiB)' })
  extend(@Param('id') id: string, @Body() b: ExtendVolumeDto, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    return this.commands.execute(new ExtendVolume(id, b.sizeGiB, p, r));
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

  @Get(':id/snapshots')
  listSnapshots(@Param('id') id: string, @Query() q: ListQueryDto, @CurrentPrincipal() p: Principal) {
    return this.queries.listSnapshots(p, id, pageOf(q));
  }

  @Post(':id/snapshots')
  @HttpCode(202)
  @ApiOperation({ summary: 'Snapshot an available or attached (crash-consistent) data volume; a volume with snapshots cannot be deleted' })
  async snapshot(
    @Param('id') id: string,
    @Body() b: CreateSnapshotDto,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.located(res, await this.commands.execute(new CreateSnapshot(id, b.name, p, r)));
  }

  @Get(':id/snapshots/:snapshotId')
  getSnapshot(@Param('id') id: string, @Param('snapshotId') snapshotId: string, @CurrentPrincipal() p: Principal) {
    return this.queries.getSnapshot(p, id, snapshotId);
  }

  @Delete(':id/snapshots/:snapshotId')
  @HttpCode(202)
  async deleteSnapshot(
    @Param('id') id: string,
    @Param('snapshotId') snapshotId: string,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.located(res, await this.commands.execute(new DeleteSnapshot(id, snapshotId, p, r)));
  }

  private async change(res: Response, id: string, change: VolumeChange, p: Principal, r: string) {
    return this.located(res, await this.commands.execute(new ChangeVolume(id, change, p, r)));
  }

  private located<T extends VolumeAccepted | SnapshotAccepted>(res: Response, accepted: T): T {
    res.setHeader('Location', `/v1/operations/${accepted.operation.id}`);
    return accepted;
  }
}
