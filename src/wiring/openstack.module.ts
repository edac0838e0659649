import { Module } from '@nestjs/common';
import { Config } from '../infrastructure/config/config';
import { KeystoneAuthController } from '../interfaces/openstack/identity/keystone-auth.controller';
import { KeystoneDirectoryController } from '../interfaces/openstack/identity/keystone-directory.controller';
import { KeystoneVersionsController } from '../interfaces/openstack/identity/keystone-versions.controller';
import { NovaFlavorsController } from '../interfaces/openstack/compute/nova-flavors.controller';
import { NovaKeyPairsController } from '../interfaces/openstack/compute/nova-keypairs.controller';
import { NovaLookups } from '../interfaces/openstack/compute/nova-lookups';
import { NovaMiscController } from '../interfaces/openstack/compute/nova-misc.controller';
import { NovaQuotasController } from '../interfaces/openstack/compute/nova-quotas.controller';
import { NovaServerActionsController } from '../interfaces/openstack/compute/nova-server-actions.controller';
import { NovaServerDetailsController } from '../interfaces/openstack/compute/nova-server-details.controller';
import { NovaServersController } from '../interfaces/openstack/compute/nova-servers.controller';
import { NovaVolumeAttachmentsController } from '../interfaces/openstack/compute/nova-volume-attachments.controller';
import { NovaVersionsController } from '../interfaces/openstack/compute/nova-versions.controller';
import { GlanceController } from '../interfaces/openstack/image/glance.controller';
import { NeutronPortsFloatingIpsController } from '../interfaces/openstack/network/neutron-ports-floating-ips.controller';
import { NeutronSecurityGroupsController } from '../interfaces/openstack/network/neutron-security-groups.controller';
import { NeutronRoutersController } from '../interfaces/openstack/network/neutron-routers.controller';
import { NeutronController } from '../interfaces/openstack/network/neutron.controller';
import { CinderMiscController } from '../interfaces/openstack/volume/cinder-misc.controller';
import { CinderSnapshotsController } from '../interfaces/openstack/volume/cinder-snapshots.controller';
import { CinderVolumesController } from '../interfaces/openstack/volume/cinder-volumes.controller';
import { OPENSTACK_SETTINGS, OpenStackSettings } from '../interfaces/openstack/shared/openstack.settings';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { NetworkModule } from './network.module';
import { StorageModule } from './storage.module';
import { CONFIG } from './tokens';

/** The OpenStack-compatible APIs (Keystone v3, Nova v2.1, Glance v2, Neutron v2.0, Cinder v3) over the same use cases as REST. */
@Module({
  imports: [IdentityModule, ComputeModule, NetworkModule, StorageModule],
  controllers: [
    KeystoneVersionsController,
    KeystoneAuthController,
    KeystoneDirectoryController,
    NovaVersionsController,
    NovaServersController,
    NovaServerActionsController,
    NovaServerDetailsController,
    NovaFlavorsController,
    NovaKeyPairsController,
    NovaQuotasController,
    NovaMiscController,
    NovaVolumeAttachmentsController,
    GlanceController,
    NeutronController,
    NeutronRoutersController,
    NeutronSecurityGroupsController,
    NeutronPortsFloatingIpsController,
    CinderMiscController,
    CinderVolumesController,
    CinderSnapshotsController,
  ],
  providers: [
    NovaLookups,
    {
      provide: OPENSTACK_SETTINGS,
      inject: [CONFIG],
      useFactory: (config: Config): OpenStackSettings => ({
        region: config.region,
        otherRegions: config.otherRegions,
        publicUrl: config.publicUrl,
        tokenTtlSeconds: config.tokenTtlSeconds,
        floatingIpPool: config.floatingIpPool,
      }),
    },
  ],
})
export class OpenStackModule {}
