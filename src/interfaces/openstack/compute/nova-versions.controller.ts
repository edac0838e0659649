import { Controller, Get, HttpCode, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { Access } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { MAX_MICROVERSION, MIN_MICROVERSION, versionString } from './nova-microversion';

const V21 = (base: string) => ({
  id: 'v2.1',
  status: 'CURRENT',
  version: versionString(MAX_MICROVERSION),
  min_version: versionString(MIN_MICROVERSION),
  updated: '2013-07-23T11:33:21Z',
  links: [{ rel: 'self', href: `${base}/compute/v2.1/` }],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
});

/** Nova's version documents (unauthenticated, as the SDK's discovery fetches them). */
@ApiExcludeController()
@Controller('compute')
export class NovaVersionsController {
  constructor(@Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings) {}

  @Get()
  @Access('public')
  @HttpCode(300)
  versions(@Req() req: Request) {
    return { versions: [V21(baseUrlOf(req, this.settings))] };
  }

  @Get('v2.1')
  @Access('public')
  v21(@Req() req: Request) {
    return { version: V21(baseUrlOf(req, this.settings)) };
  }
}
