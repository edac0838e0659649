import { Module } from '@nestjs/common';
import { ID_PREFIX_INDEX } from '../application/ports/id-prefix-index.port';
import { SqlIdPrefixIndex } from '../infrastructure/read-models/sql-id-prefix-index';
import { Database } from '../infrastructure/persistence/database';
import { Ec2ActionRegistry } from '../interfaces/ec2/ec2-action-registry';
import { Ec2Authenticator } from '../interfaces/ec2/ec2-authenticator';
import { Ec2Ids } from '../interfaces/ec2/ec2-ids';
import { Ec2InstanceActions } from '../interfaces/ec2/ec2-instances.actions';
import { Ec2Lookups } from '../interfaces/ec2/ec2-lookups';
import { Ec2RunInstances } from '../interfaces/ec2/ec2-run-instances';
import { Ec2Controller } from '../interfaces/ec2/ec2.controller';
import { Ec2CatalogActions } from '../interfaces/ec2/ec2-catalog.actions';
import { Ec2AddressActions } from '../interfaces/ec2/ec2-addresses.actions';
import { Ec2ClientTokens } from '../interfaces/ec2/ec2-client-tokens';
import { Ec2PortServer } from '../interfaces/ec2/ec2-port.server';
import { Ec2KeyPairActions } from '../interfaces/ec2/ec2-key-pairs.actions';
import { Ec2SecurityGroupActions } from '../interfaces/ec2/ec2-security-groups.actions';
import { Ec2TagActions } from '../interfaces/ec2/ec2-tags.actions';
import { Ec2VolumeActions } from '../interfaces/ec2/ec2-volumes.actions';
import { EC2_SETTINGS, Ec2Settings } from '../interfaces/ec2/ec2-settings';
import { Config } from '../infrastructure/config/config';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { NetworkModule } from './network.module';
import { StorageModule } from './storage.module';
import { CONFIG, DATABASE } from './tokens';

/** The EC2-compatible Query API (SigV4, XML) over the same use cases as REST. */
@Module({
  imports: [IdentityModule, ComputeModule, NetworkModule, StorageModule],
  controllers: [Ec2Controller],
  providers: [
    { provide: ID_PREFIX_INDEX, inject: [DATABASE], useFactory: (db: Database) => new SqlIdPrefixIndex(db) },
    Ec2Ids,
    Ec2Lookups,
    Ec2Authenticator,
    Ec2RunInstances,
    Ec2InstanceActions,
    Ec2CatalogActions,
    Ec2KeyPairActions,
    Ec2SecurityGroupActions,
    Ec2VolumeActions,
    Ec2AddressActions,
    Ec2TagActions,
    Ec2ClientTokens,
    Ec2PortServer,
    {
      provide: EC2_SETTINGS,
      inject: [CONFIG],
      useFactory: (config: Config): Ec2Settings => ({
        region: config.region,
        otherRegions: config.otherRegions,
        publicUrl: config.publicUrl,
        port: config.ec2Port,
        host: config.httpHost,
      }),
    },
    Ec2ActionRegistry,
  ],
})
export class Ec2Module {}
