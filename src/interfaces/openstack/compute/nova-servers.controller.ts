import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { ChangeInstance } from '../../../application/compute/commands/change-instance.command';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { EVENT_STORE, EventStore } from '../../../application/ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../../application/ports/read-model-progress.port';
import { LaunchAccepted, LaunchInstances } from '../../../application/compute/provisioning/launch-instances.command';
import { Principal } from '../../../application/shared/command-context';
import { cursorAfter } from '../../../application/shared/paging';
import { conflict, invalid, notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { RawQuery, limitOf, nextPageLink, queryValue } from '../shared/openstack-query';
import { NovaLookups } from './nova-lookups';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { parseServerCreate } from './nova-server-request';
import { serverQueryOf } from './nova-server-filter';
import { serverBrief, serverDetail } from './nova-server-view';

/** Nova's servers over the instances of Compute: create, list, show, delete. */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1/servers')
export class NovaServersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly lookups: NovaLookups,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Post()
  @HttpCode(202)
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string, @NovaVersion() v: Microversion, @Req() req: Request) {
    const launch = parseServerCreate(body, v);
    let networks = launch.networks;
    if (networks === 'auto') {
      const only = await this.lookups.onlyNetworkOf(p);
      if (only === null) throw invalid('BadRequest', 'This project has no network to boot the server on');
      if (only === 'several') throw conflict('MultipleNetworks', 'Multiple possible networks found, use a Network ID to be more specific.');
      networks = [{ network: only }];
    }
    const accepted: LaunchAccepted = await this.commands.execute(new LaunchInstances({ ...launch, networks }, p, r));
    // Nova's clients list right after a create (libcloud does) and expect the server there: unlike
    // REST's launch, answer once the read models show it (a few milliseconds, even for 1,000).
    await this.progress.waitFor(await this.store.headPosition());
    const first = accepted.instances[0];
    const base = baseUrlOf(req, this.settings);
    return {
      server: {
        ...serverBrief(first, base),
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: (launch.securityGroups ?? []).map((name) => ({ name })),
      },
    };
  }

  @Get()
  async list(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const page = await this.page(q, p);
    return { servers: page.items.map((i) => serverBrief(i, base)), ...this.links(req, base, page.items, page.more) };
  }

  @Get('detail')
  async detail(@Query() q: RawQuery, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    const [page, context] = await Promise.all([this.page(q, p), this.lookups.serverContext(p, base, v)]);
    return { servers: page.items.map((i) => serverDetail(i, context)), ...this.links(req, base, page.items, page.more) };
  }

  @Get(':id')
  async show(@Param('id') id: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion, @Req() req: Request) {
    const instance = await this.instances.getInstance(p, id);
    if (instance.state === 'deleted') throw notFound('InstanceNotFound', `Instance ${id} could not be found.`);
    return { server: serverDetail(instance, await this.lookups.serverContext(p, baseUrlOf(req, this.settings), v)) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new ChangeInstance(id, { action: 'delete' }, p, r));
  }

  private async page(q: RawQuery, p: Principal) {
    const { allProjects, filter, matches } = serverQueryOf(q);
    const limit = limitOf(q, 1000, 1000, (m) => invalid('BadRequest', m));
    const marker = queryValue(q, 'marker');
    if (marker !== undefined) {
      const known = await this.instances.getInstance(p, marker).catch(() => null);
      if (!known) throw invalid('BadRequest', `marker [${marker}] not found`);
    }
    if (limit === 0) return { items: [], more: false };
    const page = await this.instances.findInstances(p, allProjects, filter, matches, { limit, cursor: marker ? cursorAfter(marker) : null });
    return { items: page.items, more: page.nextCursor !== null };
  }

  /** `servers_links` with the next page when this one is full. */
  private links(req: Request, base: string, items: ReadonlyArray<{ id: string }>, more: boolean) {
    if (!more || items.length === 0) return {};
    return { servers_links: [nextPageLink(req, base, items[items.length - 1].id)] };
  }
}
