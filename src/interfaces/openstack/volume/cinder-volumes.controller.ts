import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { Principal, isAdmin } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { ChangeVolume } from '../../../application/storage/commands/change-volume.command';
import { CreateVolume } from '../../../application/storage/commands/create-volume.command';
import { ExtendVolume, RenameVolume } from '../../../application/storage/commands/rename-volume.command';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { VolumeView } from '../../../application/storage/ports/volume-read-model.port';
import { VolumeAccepted } from '../../../application/storage/volume-accepted';
import { VolumeQueries } from '../../../application/storage/volume.queries';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { isObject } from '../shared/openstack-body';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { RawQuery, nextPageLink, pageAfterMarker } from '../shared/openstack-query';
import { withinOwnProject } from '../../shared/own-project';
import { CinderMicroversionInterceptor, CinderVersion, VolumeMicroversion } from './cinder-microversion';
import { cinderListQuery } from './cinder-list-query';
import { descriptionOf, newSizeOf, parseVolumeCreate } from './cinder-requests';
import { cinderVolume } from './cinder-views';

/** Cinder v3's volumes over Storage's, at `/volume/v3/{project_id}/volumes` (as the catalog gives it) and without the project. */
@ApiExcludeController()
@UseInterceptors(CinderMicroversionInterceptor)
@Controller(['volume/v3/:projectId/volumes', 'volume/v3/volumes'])
export class CinderVolumesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: VolumeQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Post()
  @HttpCode(202)
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string, @CinderVersion() v: VolumeMicroversion, @Req() req: Request) {
    const volume = parseVolumeCreate(body);
    const accepted: VolumeAccepted = await this.commands.execute(
      new CreateVolume(volume.name, volume.sizeGiB, p, r, volume.snapshotId, volume.imageId, volume.description),
    );
    return { volume: cinderVolume(await this.queries.getVolume(p, accepted.volume.id), baseUrlOf(req, this.settings), v) };
  }

  @Get()
  async list(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @CinderVersion() v: VolumeMicroversion, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const { items, next } = await this.page(q, p, v);
    return { volumes: items.map((i) => ({ id: i.id, name: i.name, links: cinderVolume(i, base, v).links })), ...this.links(req, base, next) };
  }

  @Get('detail')
  async detail(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @CinderVersion() v: VolumeMicroversion, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const { items, next } = await this.page(q, p, v);
    return { volumes: items.map((i) => cinderVolume(i, base, v)), ...this.links(req, base, next) };
  }

  @Get(':id')
  async show(@Param('id') id: string, @CurrentPrincipal() p: Principal, @CinderVersion() v: VolumeMicroversion, @Req() req: Request) {
    return { volume: cinderVolume(await this.visible(p, id), baseUrlOf(req, this.settings), v) };
  }

  /** A new name, or description, or both. */
  @Put(':id')
  async update(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @CinderVersion() v: VolumeMicroversion,
    @Req() req: Request,
  ) {
    const volume = await this.visible(p, id);
    const change = isObject(body) && isObject(body.volume) ? body.volume : null;
    if (!change) throw invalid('BadRequest', 'Expected {"volume": {...}}');
    // cinderclient still writes the v1 names (display_name, display_description); Cinder takes both.
    const name = change.name ?? change.display_name;
    const rawDescription = change.description ?? change.display_description;
    const description = rawDescription === undefined ? undefined : descriptionOf(rawDescription);
    if ((name === undefined || name === volume.name) && (description === undefined || description === volume.description)) {
      return { volume: cinderVolume(volume, baseUrlOf(req, this.settings), v) };
    }
    if (name !== undefined && (typeof name !== 'string' || !NAME_PATTERN.test(name))) throw invalid('BadRequest', `Volume name ${NAME_MESSAGE}`);
    const renamed: VolumeView = await this.commands.execute(new RenameVolume(id, (name as string | undefined) ?? null, p, r, description));
    return { volume: cinderVolume(renamed, baseUrlOf(req, this.settings), v) };
  }

  @Delete(':id')
  @HttpCode(202)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.visible(p, id);
    await this.commands.execute(new ChangeVolume(id, { action: 'delete' }, p, r));
  }

  /** `os-extend` (an available volume grows), `os-attach` to a server and `os-detach` (as cinderclient's attach and detach). */
  @Post(':id/action')
  @HttpCode(202)
  async action(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    const name = isObject(body) ? Object.keys(body)[0] : undefined;
    const args = name && isObject(body) && isObject(body[name]) ? (body[name] as Record<string, unknown>) : {};
    await this.visible(p, id);
    if (name === 'os-extend') return void (await this.commands.execute(new ExtendVolume(id, newSizeOf(args), p, r)));
    if (name === 'os-attach') {
      if (typeof args.instance_uuid !== 'string') throw invalid('BadRequest', 'os-attach needs instance_uuid (attaching to a host is not supported)');
      return void (await this.commands.execute(new ChangeVolume(id, { action: 'attach', instanceId: args.instance_uuid }, p, r)));
    }
    if (name === 'os-detach') return void (await this.commands.execute(new ChangeVolume(id, { action: 'detach' }, p, r)));
    throw invalid('BadRequest', `The volume action ${name ?? '(none)'} is not supported (os-extend, os-attach and os-detach are)`);
  }

  private async visible(p: Principal, id: string): Promise<VolumeView> {
    const volume = await this.queries.getVolume(p, id);
    if (volume.status === 'deleted') throw notFound('VolumeNotFound', `Volume ${id} could not be found.`);
    return volume;
  }

  private async page(q: RawQuery, p: Principal, v: VolumeMicroversion) {
    const query = cinderListQuery<VolumeView>(q, v);
    const scope = query.allProjects && isAdmin(p) ? p : withinOwnProject(p);
    const all = (await allItems((page) => this.queries.listVolumes(scope, page))).filter(query.matches);
    return pageAfterMarker(all, query);
  }

  private links(req: Request, base: string, next: string | null) {
    if (!next) return {};
    return { volumes_links: [nextPageLink(req, base, next)] };
  }
}
