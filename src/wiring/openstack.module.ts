import { Module } from '@nestjs/common';
import { Config } from '../infrastructure/config/config';
import { KeystoneAuthController } from '../interfaces/openstack/identity/keystone-auth.controller';
import { KeystoneDirectoryController } from '../interfaces/openstack/identity/keystone-directory.controller';
import { KeystoneVersionsController } from '../interfaces/openstack/identity/keystone-versions.controller';
import { OPENSTACK_SETTINGS, OpenStackSettings } from '../interfaces/openstack/shared/openstack.settings';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { NetworkModule } from './network.module';
import { StorageModule } from './storage.module';
import { CONFIG } from './tokens';

/** The OpenStack-compatible APIs (Keystone v3, Nova v2.1, Glance v2, Neutron v2.0) over the same use cases as REST. */
@Module({
  imports: [IdentityModule, ComputeModule, NetworkModule, StorageModule],
  controllers: [KeystoneVersionsController, KeystoneAuthController, KeystoneDirectoryController],
  providers: [
    {
      provide: OPENSTACK_SETTINGS,
      inject: [CONFIG],
      useFactory: (config: Config): OpenStackSettings => ({ region: config.region, publicUrl: config.publicUrl, tokenTtlSeconds: config.tokenTtlSeconds }),
    },
  ],
})
export class OpenStackModule {}
