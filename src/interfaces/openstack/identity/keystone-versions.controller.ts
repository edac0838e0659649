import { Controller, Get, HttpCode, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { Access } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';

const V3 = (base: string) => ({
  id: 'v3.14',
  status: 'stable',
  updated: '2020-04-07T00:00:00Z',
  links: [{ rel: 'self', href: `${base}/identity/v3/` }],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
});

/** Keystone's version documents: the unversioned root lists v3 (300, as Keystone answers), v3 describes itself. */
@ApiExcludeController()
@Controller('identity')
export class KeystoneVersionsController {
  constructor(@Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings) {}

  @Get()
  @Access('public')
  @HttpCode(300)
  versions(@Req() req: Request) {
    return { versions: { values: [V3(baseUrlOf(req, this.settings))] } };
  }

  @Get('v3')
  @Access('public')
  v3(@Req() req: Request) {
    return { version: V3(baseUrlOf(req, this.settings)) };
  }
}
