import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { pipeline } from 'node:stream/promises';
import { Response } from 'express';
import { ChangeImageTag } from '../../../application/compute/commands/change-image-tags.command';
import { CreateImage } from '../../../application/compute/commands/create-image.command';
import { DeleteImage } from '../../../application/compute/commands/delete-image.command';
import { UploadImageData } from '../../../application/compute/commands/upload-image-data.command';
import { ImageView } from '../../../application/compute/ports/compute-read-model.port';
import { Principal } from '../../../application/shared/command-context';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { parseImageCreate, tagsAfterPatch } from './glance-image-request';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { ComputeQueries } from '../../../application/compute/compute.queries';
import { allItems } from '../../../application/shared/paging';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { Access } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { RawQuery, limitOf, pageAfterMarker, queryValue } from '../shared/openstack-query';
import { glanceImage } from './glance-views';

const byIdOnly = (id: string) => {
  if (!id.startsWith('img-')) throw notFound('ImageNotFound', `No image found with ID ${id}`);
};

/** Glance v2 over Compute's images: versions (an unknown one is fatal to the SDK's discovery), list, show, create, upload and download, tags, delete. */
@ApiExcludeController()
@Controller('image')
export class GlanceController {
  constructor(
    private readonly commands: CommandBus,
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
    const { items: images, next } = pageAfterMarker(all, { limit, marker: queryValue(q, 'marker') });
    return { images, first: '/v2/images', schema: '/v2/schemas/images', ...(next ? { next: `/v2/images?marker=${next}&limit=${limit}` } : {}) };
  }

  @Get('v2/images/:id')
  async show(@Param('id') id: string) {
    byIdOnly(id);
    return glanceImage(await this.compute.imageById(id));
  }

  @Post('v2/images')
  @HttpCode(201)
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const created: ImageView = await this.commands.execute(new CreateImage(parseImageCreate(body), p, r));
    return glanceImage(created);
  }

  /** A JSON patch of the image's tags (the one property that changes here): each tag added or removed is an event. */
  @Patch('v2/images/:id')
  async patch(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    byIdOnly(id);
    const image = await this.compute.imageById(id);
    const wanted = tagsAfterPatch(image.tags, body);
    for (const tag of image.tags.filter((t) => !wanted.includes(t))) await this.commands.execute(new ChangeImageTag(id, 'remove', tag, p, r));
    for (const tag of wanted.filter((t) => !image.tags.includes(t))) await this.commands.execute(new ChangeImageTag(id, 'add', tag, p, r));
    return glanceImage(await this.compute.imageById(id));
  }

  /** The data, streamed from the request into the image store (never held whole). */
  @Put('v2/images/:id/file')
  @HttpCode(204)
  async upload(@Param('id') id: string, @Req() req: Request, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    byIdOnly(id);
    await this.commands.execute(new UploadImageData(id, req, p, r));
  }

  /** The data, streamed from the image store; 204 when the image has none (queued, or registered from a directory). */
  @Get('v2/images/:id/file')
  async download(@Param('id') id: string, @Res() res: Response): Promise<void> {
    byIdOnly(id);
    const { image, data } = await this.compute.imageData(id);
    if (!data) {
      res.status(204).end();
      return;
    }
    res.status(200).setHeader('Content-Type', 'application/octet-stream');
    if (image.sizeBytes !== null) res.setHeader('Content-Length', String(image.sizeBytes));
    if (image.checksum) res.setHeader('Content-MD5', image.checksum);
    await pipeline(data, res);
  }

  @Put('v2/images/:id/tags/:tag')
  @HttpCode(204)
  async tag(@Param('id') id: string, @Param('tag') tag: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    byIdOnly(id);
    await this.commands.execute(new ChangeImageTag(id, 'add', tag, p, r));
  }

  @Delete('v2/images/:id/tags/:tag')
  @HttpCode(204)
  async untag(@Param('id') id: string, @Param('tag') tag: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    byIdOnly(id);
    await this.commands.execute(new ChangeImageTag(id, 'remove', tag, p, r));
  }

  @Delete('v2/images/:id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    byIdOnly(id);
    await this.commands.execute(new DeleteImage(id, p, r));
  }
}
