import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { CreateFlavor } from '../../../application/compute/commands/create-flavor.command';
import { DeleteFlavor } from '../../../application/compute/commands/delete-flavor.command';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { FlavorView } from '../../../application/compute/ports/compute-read-model.port';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { invalid } from '../../../domain/shared/domain-error';
import { Access, CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { RawQuery, limitOf, pageAfterMarker, queryValue } from '../shared/openstack-query';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { isObject } from '../shared/openstack-body';

const links = (base: string, id: string) => [
  { rel: 'self', href: `${base}/compute/v2.1/flavors/${id}` },
  { rel: 'bookmark', href: `${base}/compute/flavors/${id}` },
];

const novaFlavor = (f: FlavorView, base: string, v: Microversion) => ({
  id: f.id,
  name: f.name,
  ram: f.ramMiB,
  vcpus: f.vcpus,
  disk: f.diskGiB,
  'OS-FLV-EXT-DATA:ephemeral': 0,
  'OS-FLV-DISABLED:disabled': false,
  swap: '',
  rxtx_factor: 1.0,
  'os-flavor-access:is_public': true,
  links: links(base, f.id),
  ...(v >= 55 ? { description: null } : {}),
  ...(v >= 61 ? { extra_specs: {} } : {}),
});

const wholeNumber = (v: unknown, field: string, min: number): number => {
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw invalid('BadRequest', `Invalid input for field/attribute ${field}.`);
  return n;
};

/** Nova's flavors over Compute's: every flavor is public and has no extra specs. */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1/flavors')
export class NovaFlavorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ComputeQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get()
  async list(@Query() q: RawQuery, @Req() req: Request) {
    const base = baseUrlOf(req, this.settings);
    return { flavors: (await this.matching(q)).map((f) => ({ id: f.id, name: f.name, links: links(base, f.id) })) };
  }

  @Get('detail')
  async detail(@Query() q: RawQuery, @Req() req: Request, @NovaVersion() v: Microversion) {
    const base = baseUrlOf(req, this.settings);
    return { flavors: (await this.matching(q)).map((f) => novaFlavor(f, base, v)) };
  }

  @Get(':id')
  async show(@Param('id') id: string, @Req() req: Request, @NovaVersion() v: Microversion) {
    return { flavor: novaFlavor(await this.queries.getFlavor(id), baseUrlOf(req, this.settings), v) };
  }

  @Get(':id/os-extra_specs')
  async extraSpecs(@Param('id') id: string) {
    await this.queries.getFlavor(id);
    return { extra_specs: {} };
  }

  @Post()
  @HttpCode(200)
  @Access('admin')
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string, @Req() req: Request, @NovaVersion() v: Microversion) {
    const flavor = isObject(body) ? body.flavor : undefined;
    if (!isObject(flavor)) throw invalid('BadRequest', 'Expected {"flavor": {...}}');
    if (typeof flavor.name !== 'string' || !NAME_PATTERN.test(flavor.name))
      throw invalid('BadRequest', `Invalid input for field/attribute name: ${NAME_MESSAGE}`);
    if (flavor.id !== undefined && flavor.id !== null && flavor.id !== 'auto') throw invalid('BadRequest', 'Flavor ids are chosen by the cloud; leave id out');
    const spec = { vcpus: wholeNumber(flavor.vcpus, 'vcpus', 1), ramMiB: wholeNumber(flavor.ram, 'ram', 1), diskGiB: wholeNumber(flavor.disk ?? 0, 'disk', 0) };
    const created: FlavorView = await this.commands.execute(new CreateFlavor(flavor.name, spec, p, r));
    return { flavor: novaFlavor(created, baseUrlOf(req, this.settings), v) };
  }

  @Delete(':id')
  @HttpCode(202)
  @Access('admin')
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.commands.execute(new DeleteFlavor(id, p, r));
  }

  /** Flavors by the list's filters (minRam, minDisk; is_public is always true here), from the marker, up to the limit. */
  private async matching(q: RawQuery): Promise<FlavorView[]> {
    const minRam = Number(queryValue(q, 'minRam') ?? 0);
    const minDisk = Number(queryValue(q, 'minDisk') ?? 0);
    const all = (await allItems((page) => this.queries.listFlavors(page))).filter((f) => f.ramMiB >= minRam && f.diskGiB >= minDisk);
    return pageAfterMarker(all, { limit: limitOf(q, 1000, 1000, (m) => invalid('BadRequest', m)), marker: queryValue(q, 'marker') }).items;
  }
}
