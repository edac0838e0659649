import { Module } from '@nestjs/common';
import { AllocateFloatingIpHandler } from '../application/network/commands/allocate-floating-ip.command';
import { ChangeFloatingIpHandler } from '../application/network/commands/change-floating-ip.command';
import { ChangeSecurityGroupRulesHandler } from '../application/network/commands/change-security-group-rules.command';
import { ChangeSecurityGroupMetadataHandler } from '../application/network/commands/change-security-group-metadata.command';
import { AddSubnetHandler, DeleteSubnetHandler } from '../application/network/commands/change-subnets.command';
import { CreateStandalonePortHandler, DeleteStandalonePortHandler } from '../application/network/commands/standalone-ports.command';
import { ChangeRouterHandler } from '../application/network/commands/router.commands';
import { RouterLegs } from '../application/network/router-legs';
import { RouterRealizer } from '../application/network/router-realizer';
import { CreateNetworkHandler } from '../application/network/commands/create-network.command';
import { CreateSecurityGroupHandler } from '../application/network/commands/create-security-group.command';
import { DeleteNetworkHandler } from '../application/network/commands/delete-network.command';
import { DeleteSecurityGroupHandler } from '../application/network/commands/delete-security-group.command';
import { FloatingIpNat } from '../application/network/floating-ip-nat';
import { NetworkAttachments } from '../application/network/network-attachments';
import { NetworkDirectory } from '../application/network/network-directory';
import { NETWORK_SETTINGS } from '../application/network/network.settings';
import { NetworkQueries } from '../application/network/network.queries';
import { PortRepairer } from '../application/network/port-repair';
import { NETWORK_READ_MODEL } from '../application/network/ports/network-read-model.port';
import { SecurityGroupWorker } from '../application/network/security-group.worker';
import { SecurityRules } from '../application/network/security-rules';
import { Config } from '../infrastructure/config/config';
import { Database } from '../infrastructure/persistence/database';
import { SqlNetworkReadModel } from '../infrastructure/read-models/network/network.read-model';
import { ComputeModule } from './compute.module';
import { IdentityModule } from './identity.module';
import { CONFIG, DATABASE } from './tokens';

/** Network: networks and IPAM, ports, security groups and their worker, floating IPs, and an instance's ports for Compute. */
@Module({
  imports: [IdentityModule, ComputeModule],
  providers: [
    { provide: NETWORK_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new SqlNetworkReadModel(db) },
    {
      provide: NETWORK_SETTINGS,
      inject: [CONFIG],
      useFactory: (c: Config) => ({
        vlanMin: c.vlanMin,
        vlanMax: c.vlanMax,
        floatingIpPool: c.floatingIpPool,
        securityGroupConcurrency: c.securityGroupConcurrency,
        externalVlan: c.externalVlan,
      }),
    },
    NetworkQueries,
    SecurityRules,
    FloatingIpNat,
    NetworkAttachments,
    NetworkDirectory,
    PortRepairer,
    SecurityGroupWorker,
    CreateNetworkHandler,
    AddSubnetHandler,
    DeleteSubnetHandler,
    RouterLegs,
    RouterRealizer,
    ChangeRouterHandler,
    CreateStandalonePortHandler,
    DeleteStandalonePortHandler,
    DeleteNetworkHandler,
    CreateSecurityGroupHandler,
    ChangeSecurityGroupRulesHandler,
    ChangeSecurityGroupMetadataHandler,
    DeleteSecurityGroupHandler,
    AllocateFloatingIpHandler,
    ChangeFloatingIpHandler,
  ],
  exports: [NetworkQueries, NetworkAttachments, NetworkDirectory, PortRepairer, RouterRealizer, SecurityGroupWorker],
})
export class NetworkModule {}
