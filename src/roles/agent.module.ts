import { DynamicModule, Module } from '@nestjs/common';
import { HOST_SCOPE, HostScope } from '../application/compute/ports/host-scope.port';
import { ProvisioningWorker } from '../application/compute/provisioning/provisioning.worker';
import { HostReconciler } from '../application/compute/reconciliation/host.reconciler';
import { SecurityGroupWorker } from '../application/network/security-group.worker';
import { EventStore } from '../application/ports/event-store.port';
import { IntegrationBus } from '../application/ports/integration-bus.port';
import { Tracing } from '../application/ports/tracing.port';
import { Config } from '../infrastructure/config/config';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { Database } from '../infrastructure/persistence/database';
import { ComputeModule } from '../wiring/compute.module';
import { DriversModule } from '../wiring/drivers.module';
import { IdentityModule } from '../wiring/identity.module';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { Lifecycle } from '../wiring/lifecycle';
import { NetworkModule } from '../wiring/network.module';
import { PLATFORM_PARTS_INJECT, platformParts } from '../wiring/platform-parts';
import { PlatformModule } from '../wiring/platform.module';
import { PROCESS_PARTS, ProcessPart, part } from '../wiring/process-parts';
import { ProvisioningModule } from '../wiring/provisioning.module';
import { StorageModule } from '../wiring/storage.module';

/**
 * A standalone compute agent for one host: it takes the host over (its scope records that), then
 * drives the host's instances, security rules and reconciliation through the host's own drivers.
 */
@Module({})
export class AgentModule {
  static forRoot(config: Config, logger: JsonLogger, host: string): DynamicModule {
    return {
      module: AgentModule,
      imports: [
        PlatformModule.forRoot(config, logger, { kind: 'agent', host }),
        DriversModule.forRoot(config),
        IdentityModule,
        ComputeModule,
        NetworkModule,
        StorageModule,
        ProvisioningModule,
      ],
      providers: [
        {
          provide: PROCESS_PARTS,
          inject: [...PLATFORM_PARTS_INJECT, HOST_SCOPE, ProvisioningWorker, SecurityGroupWorker, HostReconciler],
          useFactory: (
            db: Database,
            store: EventStore,
            bus: IntegrationBus,
            notifications: PgNotifications | null,
            tracing: Tracing,
            scope: HostScope,
            provisioning: ProvisioningWorker,
            securityGroups: SecurityGroupWorker,
            reconciler: HostReconciler,
          ): ProcessPart[] => [
            ...platformParts(db, store, bus, notifications, tracing),
            part('host scope', scope),
            part('provisioning', provisioning),
            part('security groups', securityGroups),
            part('reconciler', reconciler),
          ],
        },
        Lifecycle,
      ],
    };
  }
}
