import { Controller, Get, HttpCode, Inject, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request } from 'express';
import { IdentityQueries } from '../../../application/identity/identity.queries';
import { Principal } from '../../../application/shared/command-context';
import { allItems } from '../../../application/shared/paging';
import { VolumeQueries } from '../../../application/storage/volume.queries';
import { notFound } from '../../../domain/shared/domain-error';
import { MAX_VOLUME_GIB } from '../../../domain/storage/volume/volume.decider';
import { Access, CurrentPrincipal } from '../../http/shared/decorators';
import { OPENSTACK_SETTINGS, OpenStackSettings, baseUrlOf } from '../shared/openstack.settings';
import { RawQuery, flagOf } from '../shared/openstack-query';
import { withinOwnProject } from '../../shared/own-project';
import { CinderMicroversionInterceptor, MAX_VOLUME_MICROVERSION } from './cinder-microversion';
import { DEFAULT_VOLUME_TYPE } from './cinder-views';

/** Cinder's version documents, volume types (one), availability zones (one), limits and quota sets. */
@ApiExcludeController()
@UseInterceptors(CinderMicroversionInterceptor)
@Controller('volume')
export class CinderMiscController {
  constructor(
    private readonly volumes: VolumeQueries,
    private readonly identity: IdentityQueries,
    @Inject(OPENSTACK_SETTINGS) private readonly settings: OpenStackSettings,
  ) {}

  @Get()
  @Access('public')
  @HttpCode(300)
  versions(@Req() req: Request) {
    return this.versionList(req);
  }

  /** What the SDK's discovery fetches (the endpoint with the project id stripped). */
  @Get('v3')
  @Access('public')
  v3(@Req() req: Request) {
    return this.versionList(req);
  }

  @Get(['v3/:projectId/types', 'v3/types'])
  types() {
    return { volume_types: [DEFAULT_VOLUME_TYPE] };
  }

  @Get(['v3/:projectId/types/:id', 'v3/types/:id'])
  type(@Param('id') id: string) {
    if (id !== DEFAULT_VOLUME_TYPE.id && id !== DEFAULT_VOLUME_TYPE.name) throw notFound('VolumeTypeNotFound', `Volume type ${id} could not be found.`);
    return { volume_type: DEFAULT_VOLUME_TYPE };
  }

  @Get(['v3/:projectId/os-availability-zone', 'v3/os-availability-zone'])
  zones() {
    return { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true } }] };
  }

  @Get(['v3/:projectId/limits', 'v3/limits'])
  async limits(@CurrentPrincipal() p: Principal) {
    const usage = await this.identity.usage(p, p.projectId);
    const snapshots = await allItems((page) => this.volumes.listProjectSnapshots(withinOwnProject(p), page));
    return {
      limits: {
        rate: [],
        absolute: {
          maxTotalVolumes: usage.volumes.limit,
          maxTotalVolumeGigabytes: usage.volumeGiB.limit,
          maxTotalSnapshots: -1,
          maxTotalBackups: 0,
          maxTotalBackupGigabytes: 0,
          totalVolumesUsed: usage.volumes.used,
          totalGigabytesUsed: usage.volumeGiB.used,
          totalSnapshotsUsed: snapshots.length,
          totalBackupsUsed: 0,
          totalBackupGigabytesUsed: 0,
        },
      },
    };
  }

  /** Volumes and gigabytes are limited; snapshots are not; there are no backups or groups. `?usage=True` adds what is in use. */
  @Get(['v3/:projectId/os-quota-sets/:target', 'v3/os-quota-sets/:target'])
  async quotas(@Param('target') target: string, @Query() q: RawQuery, @CurrentPrincipal() p: Principal) {
    const usage = await this.identity.usage(p, target);
    const snapshots = (await allItems((page) => this.volumes.listProjectSnapshots(p, page))).filter((s) => s.projectId === target).length;
    const quotas: Record<string, [number, number]> = {
      volumes: [usage.volumes.limit, usage.volumes.used],
      gigabytes: [usage.volumeGiB.limit, usage.volumeGiB.used],
      snapshots: [-1, snapshots],
      per_volume_gigabytes: [MAX_VOLUME_GIB, 0],
      backups: [0, 0],
      backup_gigabytes: [0, 0],
      groups: [0, 0],
    };
    const withUsage = flagOf(q, 'usage');
    const set: Record<string, unknown> = { id: target };
    for (const [name, [limit, inUse]] of Object.entries(quotas)) set[name] = withUsage ? { limit, in_use: inUse, reserved: 0, allocated: 0 } : limit;
    return { quota_set: set };
  }

  private versionList(req: Request) {
    return {
      versions: [
        {
          id: 'v3.0',
          status: 'CURRENT',
          version: `3.${MAX_VOLUME_MICROVERSION}`,
          min_version: '3.0',
          updated: '2023-01-01T00:00:00Z',
          links: [{ rel: 'self', href: `${baseUrlOf(req, this.settings)}/volume/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
        },
      ],
    };
  }
}
