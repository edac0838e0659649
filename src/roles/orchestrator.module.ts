import { DynamicModule, Module } from '@nestjs/common';
import { BillingConsumer } from '../application/billing/billing.consumer';
import { HOST_SCOPE, HostScope } from '../application/compute/ports/host-scope.port';
import { ProvisioningWorker } from '../application/compute/provisioning/provisioning.worker';
import { HostReconciler } from '../application/compute/reconciliation/host.reconciler';
import { BootstrapAdmin } from '../application/identity/bootstrap-admin';
import { EventRelay } from '../application/integration/event-relay';
import { SecurityGroupWorker } from '../application/network/security-group.worker';
import { EventStore } from '../application/ports/event-store.port';
import { IntegrationBus } from '../application/ports/integration-bus.port';
import { VolumeWorker } from '../application/storage/volume.worker';
import { Config } from '../infrastructure/config/config';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { Database } from '../infrastructure/persistence/database';
import { ProjectionRunner } from '../infrastructure/projections/projection-runner';
import { ApiModule } from '../wiring/api.module';
import { AuditModule } from '../wiring/audit.module';
import { BillingModule } from '../wiring/billing.module';
import { ComputeModule } from '../wiring/compute.module';
import { DriversModule } from '../wiring/drivers.module';
import { IdentityModule } from '../wiring/identity.module';
import { IntegrationModule } from '../wiring/integration.module';
import { Lifecycle } from '../wiring/lifecycle';
import { NetworkModule } from '../wiring/network.module';
import { PLATFORM_PARTS_INJECT, platformParts } from '../wiring/platform-parts';
import { PlatformModule } from '../wiring/platform.module';
import { PROCESS_PARTS, ProcessPart, part, starting } from '../wiring/process-parts';
import { ProvisioningModule } from '../wiring/provisioning.module';
import { StorageModule } from '../wiring/storage.module';

/**
 * The orchestrator: the REST and gRPC APIs, the projections, the bootstrap, every worker for the
 * hosts no agent took over, and (unless configured off) the billing consumer and the relay.
 */
@Module({})
export class OrchestratorModule {
  static forRoot(config: Config, logger: JsonLogger): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        PlatformModule.forRoot(config, logger, { kind: 'orchestrator' }),
        DriversModule.forRoot(config),
        IdentityModule,
        ComputeModule,
        NetworkModule,
        StorageModule,
        ProvisioningModule,
        BillingModule,
        IntegrationModule,
        AuditModule,
        ApiModule.forRoot(logger),
      ],
      providers: [
        {
          provide: PROCESS_PARTS,
          inject: [
            ...PLATFORM_PARTS_INJECT,
            BillingConsumer,
            EventRelay,
            ProjectionRunner,
            BootstrapAdmin,
            HOST_SCOPE,
            ProvisioningWorker,
            VolumeWorker,
            SecurityGroupWorker,
            HostReconciler,
          ],
          useFactory: (
            db: Database,
            store: EventStore,
            bus: IntegrationBus,
            billing: BillingConsumer,
            relay: EventRelay,
            projections: ProjectionRunner,
            bootstrap: BootstrapAdmin,
            scope: HostScope,
            provisioning: ProvisioningWorker,
            volumes: VolumeWorker,
            securityGroups: SecurityGroupWorker,
            reconciler: HostReconciler,
          ): ProcessPart[] => [
            ...platformParts(db, store, bus),
            // The consumer before the relay: on the in-process bus, nothing is published before it listens.
            ...(config.billing === 'in-process' ? [part('billing consumer', billing)] : []),
            ...(config.relay === 'in-process' ? [part('relay', relay)] : []),
            part('projections', projections),
            starting('bootstrap', () => bootstrapAdmin(bootstrap, config, logger)),
            part('host scope', scope),
            part('provisioning', provisioning),
            part('volumes', volumes),
            part('security groups', securityGroups),
            part('reconciler', reconciler),
          ],
        },
        Lifecycle,
      ],
    };
  }
}

/** Creates project and user `admin` when the store is empty, and prints a generated password once. */
async function bootstrapAdmin(bootstrap: BootstrapAdmin, config: Config, logger: JsonLogger): Promise<void> {
  const result = await bootstrap.run(config.bootstrapPassword);
  if (!result.created) return;
  logger.info('bootstrap: created project "admin" and user "admin" (role admin)', {
    ...(result.generated ? { generatedPassword: result.password, note: 'shown once; set ORCH_BOOTSTRAP_PASSWORD to choose it' } : {}),
  });
}
