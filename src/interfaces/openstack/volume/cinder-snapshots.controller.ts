import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Principal, isAdmin } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { CreateSnapshot } from '../../../application/storage/commands/create-snapshot.command';
import { DeleteSnapshot } from '../../../application/storage/commands/delete-snapshot.command';
import { SnapshotView } from '../../../application/storage/ports/volume-read-model.port';
import { SnapshotAccepted } from '../../../application/storage/snapshot-changes';
import { VolumeQueries } from '../../../application/storage/volume.queries';
import { invalid } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { isObject } from '../shared/openstack-body';
import { RawQuery, pageAfterMarker, queryValue } from '../shared/openstack-query';
import { withinOwnProject } from '../../shared/own-project';
import { CinderMicroversionInterceptor, CinderVersion, VolumeMicroversion } from './cinder-microversion';
import { cinderListQuery } from './cinder-list-query';
import { cinderSnapshot } from './cinder-views';

/** Cinder v3's snapshots over the volumes' own (a snapshot is found by its id alone). */
@ApiExcludeController()
@UseInterceptors(CinderMicroversionInterceptor)
@Controller(['volume/v3/:projectId/snapshots', 'volume/v3/snapshots'])
export class CinderSnapshotsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: VolumeQueries,
  ) {}

  /** Of an attached volume too (`force` is not needed: our snapshots of attached volumes are crash-consistent). */
  @Post()
  @HttpCode(202)
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const snapshot = isObject(body) ? body.snapshot : undefined;
    if (!isObject(snapshot) || typeof snapshot.volume_id !== 'string') throw invalid('BadRequest', 'Expected {"snapshot": {"volume_id": ...}}');
    const name = snapshot.name ?? 'snapshot';
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw invalid('BadRequest', `Snapshot name ${NAME_MESSAGE}`);
    if (snapshot.description !== undefined && snapshot.description !== null && snapshot.description !== '')
      throw invalid('BadRequest', 'Descriptions are not kept here');
    const accepted: SnapshotAccepted = await this.commands.execute(new CreateSnapshot(snapshot.volume_id, name, p, r));
    return { snapshot: cinderSnapshot(await this.queries.findSnapshot(p, accepted.snapshot.id)) };
  }

  @Get()
  async list(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @CinderVersion() v: VolumeMicroversion) {
    return { snapshots: (await this.page(q, p, v)).map((s) => ({ id: s.id, name: s.name, status: s.status, size: s.sizeGiB, volume_id: s.volumeId })) };
  }

  @Get('detail')
  async detail(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @CinderVersion() v: VolumeMicroversion) {
    return { snapshots: (await this.page(q, p, v)).map(cinderSnapshot) };
  }

  @Get(':id')
  async show(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { snapshot: cinderSnapshot(await this.queries.findSnapshot(p, id)) };
  }

  @Delete(':id')
  @HttpCode(202)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    const snapshot = await this.queries.findSnapshot(p, id);
    await this.commands.execute(new DeleteSnapshot(snapshot.volumeId, id, p, r));
  }

  private async page(q: RawQuery, p: Principal, v: VolumeMicroversion): Promise<SnapshotView[]> {
    const query = cinderListQuery<SnapshotView>(q, v);
    const scope = query.allProjects && isAdmin(p) ? p : withinOwnProject(p);
    const volumeId = queryValue(q, 'volume_id');
    const all = (await allItems((page) => this.queries.listProjectSnapshots(scope, page))).filter(
      (s) => query.matches(s) && (volumeId === undefined || s.volumeId === volumeId),
    );
    return pageAfterMarker(all, query).items;
  }
}
