import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { ChangeInstanceDetails, DetailsChange, InstanceDetails } from '../../../application/compute/commands/change-instance-details.command';
import { InstanceQueries } from '../../../application/compute/instance.queries';
import { Principal } from '../../../application/shared/command-context';
import { invalid, notFound } from '../../../domain/shared/domain-error';
import { CurrentPrincipal, RequestId } from '../../http/shared/decorators';
import { Microversion, NovaMicroversionInterceptor, NovaVersion } from './nova-microversion';
import { metadataOf } from './nova-server-request';
import { isObject } from '../shared/openstack-body';

/** Server tags came with 2.26: below it, their routes do not exist. */
function assertTagsAvailable(v: Microversion): void {
  if (v < 26) throw notFound('NotFound', 'The resource could not be found.');
}

/** A server's metadata and tags (2.26+), over the instance's own. */
@ApiExcludeController()
@UseInterceptors(NovaMicroversionInterceptor)
@Controller('compute/v2.1/servers/:id')
export class NovaServerDetailsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
  ) {}

  @Get('metadata')
  async metadata(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return { metadata: (await this.instances.getInstance(p, id)).metadata };
  }

  /** POST merges into the metadata, PUT replaces it. */
  @Post('metadata')
  @HttpCode(200)
  async mergeMetadata(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const set = metadataOf(isObject(body) ? body.metadata : undefined, 'metadata');
    return { metadata: (await this.change(id, { of: 'metadata', set, unset: [], replace: false }, p, r)).metadata };
  }

  @Put('metadata')
  async replaceMetadata(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const set = metadataOf(isObject(body) ? body.metadata : undefined, 'metadata');
    return { metadata: (await this.change(id, { of: 'metadata', set, unset: [], replace: true }, p, r)).metadata };
  }

  @Get('metadata/:key')
  async metadataItem(@Param('id') id: string, @Param('key') key: string, @CurrentPrincipal() p: Principal) {
    const { metadata } = await this.instances.getInstance(p, id);
    if (!(key in metadata)) throw notFound('MetadataItemNotFound', 'Metadata item was not found');
    return { meta: { [key]: metadata[key] } };
  }

  @Put('metadata/:key')
  async setMetadataItem(@Param('id') id: string, @Param('key') key: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string) {
    const meta = metadataOf(isObject(body) ? body.meta : undefined, 'meta');
    if (Object.keys(meta).length !== 1 || !(key in meta)) throw invalid('BadRequest', 'Request body and URI mismatch');
    await this.change(id, { of: 'metadata', set: meta, unset: [], replace: false }, p, r);
    return { meta };
  }

  @Delete('metadata/:key')
  @HttpCode(204)
  async deleteMetadataItem(@Param('id') id: string, @Param('key') key: string, @CurrentPrincipal() p: Principal, @RequestId() r: string): Promise<void> {
    await this.change(id, { of: 'metadata', set: {}, unset: [key], replace: false }, p, r);
  }

  @Get('tags')
  async tags(@Param('id') id: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion) {
    assertTagsAvailable(v);
    return { tags: (await this.instances.getInstance(p, id)).tags };
  }

  @Put('tags')
  async replaceTags(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal, @RequestId() r: string, @NovaVersion() v: Microversion) {
    assertTagsAvailable(v);
    const tags = isObject(body) ? body.tags : undefined;
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw invalid('BadRequest', 'Expected {"tags": [...]}');
    return { tags: (await this.change(id, { of: 'tags', add: tags as string[], remove: [], replace: true }, p, r)).tags };
  }

  @Delete('tags')
  @HttpCode(204)
  async deleteTags(@Param('id') id: string, @CurrentPrincipal() p: Principal, @RequestId() r: string, @NovaVersion() v: Microversion): Promise<void> {
    assertTagsAvailable(v);
    await this.change(id, { of: 'tags', add: [], remove: [], replace: true }, p, r);
  }

  @Get('tags/:tag')
  @HttpCode(204)
  async hasTag(@Param('id') id: string, @Param('tag') tag: string, @CurrentPrincipal() p: Principal, @NovaVersion() v: Microversion): Promise<void> {
    assertTagsAvailable(v);
    if (!(await this.instances.getInstance(p, id)).tags.includes(tag)) throw notFound('TagNotFound', `Server has no tag ${tag}`);
  }

  /** 201 when the tag is new, 204 when the server had it. */
  @Put('tags/:tag')
  async addTag(
    @Param('id') id: string,
    @Param('tag') tag: string,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @NovaVersion() v: Microversion,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    assertTagsAvailable(v);
    const had = (await this.instances.getInstance(p, id)).tags.includes(tag);
    await this.change(id, { of: 'tags', add: [tag], remove: [], replace: false }, p, r);
    res.status(had ? 204 : 201);
  }

  @Delete('tags/:tag')
  @HttpCode(204)
  async removeTag(
    @Param('id') id: string,
    @Param('tag') tag: string,
    @CurrentPrincipal() p: Principal,
    @RequestId() r: string,
    @NovaVersion() v: Microversion,
  ): Promise<void> {
    assertTagsAvailable(v);
    await this.change(id, { of: 'tags', add: [], remove: [tag], replace: false }, p, r);
  }

  private change(id: string, change: DetailsChange, p: Principal, r: string): Promise<InstanceDetails> {
    return this.commands.execute(new ChangeInstanceDetails(id, change, p, r));
  }
}
