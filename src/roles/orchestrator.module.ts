import { DynamicModule, Module } from '@nestjs/common';
import { BillingConsumer } from '../application/billing/billing.consumer';
import { HOST_SCOPE, HostScope } from '../application/compute/ports/host-scope.port';
import { ProvisioningWorker } from '../application/compute/provisioning/provisioning.worker';
import { HostReconciler } from '../application/compute/reconciliation/host.reconciler';
import { BootstrapAdmin } from '../application/identity/bootstrap-admin';
import { DemoCloud } from '../application/demo/demo-cloud';
import { EventRelay } from '../application/integration/event-relay';
import { SecurityGroupWorker } from '../application/network/security-group.worker';
import { EventStore } from '../application/ports/event-store.port';
import { IntegrationBus } from '../application/ports/integration-bus.port';
import { Tracing } from '../application/ports/tracing.port';
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
import { IDENTITY_HOME, MEMBERSHIP } from '../wiring/tokens';
import { IdentityHome, identityParts } from '../wiring/identity-home';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { ClusterMembership } from '../infrastructure/cluster/cluster-membership';
import { SINGLETON_LOCK_IDS } from '../infrastructure/cluster/lease-holders';
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
            MEMBERSHIP,
            BillingConsumer,
            EventRelay,
            ProjectionRunner,
            BootstrapAdmin,
            DemoCloud,
            HOST_SCOPE,
            ProvisioningWorker,
            VolumeWorker,
            SecurityGroupWorker,
            HostReconciler,
            IDENTITY_HOME,
          ],
          useFactory: (
            db: Database,
            store: EventStore,
            bus: IntegrationBus,
            notifications: PgNotifications | null,
            tracing: Tracing,
            membership: ClusterMembership | null,
            billing: BillingConsumer,
            relay: EventRelay,
            projections: ProjectionRunner,
            bootstrap: BootstrapAdmin,
            demo: DemoCloud,
            scope: HostScope,
            provisioning: ProvisioningWorker,
            volumes: VolumeWorker,
            securityGroups: SecurityGroupWorker,
            reconciler: HostReconciler,
            identityHome: IdentityHome | null,
          ): ProcessPart[] => [
            ...platformParts(db, store, bus, notifications, tracing),
            ...identityParts(identityHome),
            ...alonePerCluster(config, membership, { billing, relay, projections }),
            starting('bootstrap', () => (identityHome?.db ?? db).exclusively(BOOTSTRAP_LOCK, () => bootstrapAdmin(bootstrap, demo, config, logger))),
            part('host scope', scope),
            part('provisioning', provisioning),
            part('volumes', volumes),
            part('security groups', securityGroups),
            part('reconciler', reconciler),
          ],
        },
        DemoCloud,
        Lifecycle,
      ],
    };
  }
}

/** Of several processes starting together on one database, one bootstraps at a time (the others then find it done). */
const BOOTSTRAP_LOCK = 7262002;

/**
 * The projections, the relay and (on the in-process bus, where it hears only its own process's
 * relay) the billing consumer run in one process of a cluster at a time: started by the
 * membership whenever this process holds their lock. Alone (the embedded store), it runs them itself.
 * A billing consumer on Kafka runs in every process: its consumer group shares the partitions.
 */
function alonePerCluster(
  config: Config,
  membership: ClusterMembership | null,
  p: { billing: BillingConsumer; relay: EventRelay; projections: ProjectionRunner },
): ProcessPart[] {
  const billingAlongRelay = config.billing === 'in-process' && config.kafkaBrokers.length === 0;
  // The consumer before the relay: on the in-process bus, nothing is published before it listens.
  const relayParts = [
    ...(config.billing === 'in-process' ? [part('billing consumer', p.billing)] : []),
    ...(config.relay === 'in-process' ? [part('relay', p.relay)] : []),
  ];
  if (!membership) return [...relayParts, part('projections', p.projections)];
  const relayAlone = billingAlongRelay ? relayParts : relayParts.filter((r) => r.name === 'relay');
  const everywhere = billingAlongRelay ? [] : relayParts.filter((r) => r.name !== 'relay');
  membership.runAlone({ name: 'projections', lockId: SINGLETON_LOCK_IDS.projections, part: p.projections });
  if (relayAlone.length > 0) membership.runAlone({ name: 'relay', lockId: SINGLETON_LOCK_IDS.relay, part: inOrder(relayAlone) });
  return [...everywhere, part('cluster membership', membership)];
}

/** Parts started in order and stopped in reverse, as one. */
function inOrder(parts: ProcessPart[]): { start(): Promise<void>; stop(): Promise<void> } {
  return {
    start: async () => {
      for (const p of parts) await p.start();
    },
    stop: async () => {
      for (const p of [...parts].reverse()) await p.stop();
    },
  };
}

/**
 * Creates project and user `admin` when the store is empty, and prints a generated password once;
 * then, with ORCH_DEMO on, seeds the demo cloud and prints the commands that launch an instance.
 */
async function bootstrapAdmin(bootstrap: BootstrapAdmin, demo: DemoCloud, config: Config, logger: JsonLogger): Promise<void> {
  const result = await bootstrap.run(config.bootstrapPassword);
  if (!result.created) return;
  logger.info('bootstrap: created project "admin" and user "admin" (role admin)', {
    ...(result.generated ? { generatedPassword: result.password, note: 'shown once; set ORCH_BOOTSTRAP_PASSWORD to choose it' } : {}),
  });
  if (!config.demo) return;
  const seeded = await demo.seed(result.admin);
  const url = config.publicUrl ?? `http://${config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost}:${config.httpPort}`;
  const password = result.generated ? result.password : '<ORCH_BOOTSTRAP_PASSWORD>';
  logger.info('demo cloud ready (ORCH_DEMO=off to start empty)', {
    ...seeded,
    next: [
      `npx orch login --url ${url} --user admin --password '${password}'`,
      'npx orch launch demo --flavor m1.tiny --image cirros --network private --wait',
    ],
  });
}
