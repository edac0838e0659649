import { Controller, Get, HttpCode, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { allItems } from '../../../application/shared/paging';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { Access } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { RawQuery, limitOf, queryValue } from '../shared/openstack-query';
import { glanceImage } from './glance-views';

/** Glance's version document: an unknown one here is fatal to the SDK's discovery. */
@ApiExcludeController()
@Controller('image')
export class GlanceController {
  constructor(
    private readonly compute: ComputeQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get()
  @Access('public')
  @HttpCode(300)
  versions(@Req() req: Request) {
    const href = `${baseUrlOf(req, this.settings)}/image/v2/`;
    return { versions: ['v2.9', 'v2.1', 'v2.0'].map((id, i) => ({ id, status: i === 0 ? 'CURRENT' : 'SUPPORTED', links: [{ rel: 'self', href }] })) };
  }

  @Get('v2/images')
  async list(@Query() q: RawQuery) {
    const limit = limitOf(q, 25, 1000, (m) => invalid('BadRequest', m));
    const filters = { name: queryValue(q, 'name'), status: queryValue(q, 'status'), visibility: queryValue(q, 'visibility') };
    const all = (await allItems((page) => this.compute.listImages(page)))
      .map(glanceImage)
      .filter((i) =>
        Object.entries(filters).every(([field, wanted]) => wanted === undefined || wanted === 'all' || i[field as keyof typeof filters] === wanted),
      );
    const marker = queryValue(q, 'marker');
    const start = marker === undefined ? 0 : all.findIndex((i) => i.id === marker) + 1;
    if (marker !== undefined && start === 0) throw invalid('BadRequest', `marker ${marker} not found`);
    const images = all.slice(start, start + limit);
    const next = start + limit < all.length && images.length > 0 ? { next: `/v2/images?marker=${images[images.length - 1].id}&limit=${limit}` } : {};
    return { images, first: '/v2/images', schema: '/v2/schemas/images', ...next };
  }

  @Get('v2/images/:id')
  async show(@Param('id') id: string) {
    if (!id.startsWith('img-')) throw notFound('ImageNotFound', `No image found with ID ${id}`);
    return glanceImage(await this.compute.getImage(id));
  }
}
