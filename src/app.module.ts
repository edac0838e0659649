import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EventLogQueries } from './application/events/event-log.queries';
import { CommandExecutor } from './application/shared/command-executor';
import { Authenticator } from './application/identity/authenticator';
import { BootstrapAdmin } from './application/identity/bootstrap-admin';
import { CreateAccessKeyHandler, DeleteAccessKeyHandler } from './application/identity/commands/access-keys.command';
import { ChangeRoleHandler } from './application/identity/commands/change-role.command';
import { CreateProjectHandler } from './application/identity/commands/create-project.command';
import { CreateUserHandler } from './application/identity/commands/create-user.command';
import { IssueTokenHandler } from './application/identity/commands/issue-token.command';
import { RevokeTokenHandler } from './application/identity/commands/revoke-token.command';
import { UpdateProjectQuotasHandler } from './application/identity/commands/update-project-quotas.command';
import { IDENTITY_READ_MODEL } from './application/identity/ports/identity-read-model.port';
import { IdentityQueries } from './application/identity/identity.queries';
import { CLOCK } from './application/ports/clock.port';
import { EVENT_STORE, EventStore } from './application/ports/event-store.port';
import { ID_GENERATOR, IdGenerator } from './application/ports/id-generator.port';
import { IDEMPOTENCY_STORE } from './application/ports/idempotency.port';
import { LOGGER } from './application/ports/logger.port';
import { METRICS } from './application/ports/metrics.port';
import { READ_MODEL_PROGRESS } from './application/ports/read-model-progress.port';
import { SECRETS } from './application/ports/secrets.port';
import { Config } from './infrastructure/config/config';
import { NodeSecrets } from './infrastructure/crypto/node-secrets';
import { createEventStore } from './infrastructure/event-store/event-store.factory';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { PrometheusMetrics } from './infrastructure/metrics/prometheus-metrics';
import { Database } from './infrastructure/persistence/database';
import { SqlIdempotencyStore } from './infrastructure/persistence/idempotency-store.sql';
import { TypeOrmIdentityReadModel } from './infrastructure/read-models/identity/identity.read-model';
import { openDatabase } from './infrastructure/persistence/open-database';
import { ProjectionRunner } from './infrastructure/projections/projection-runner';
import { randomIds } from './infrastructure/system/random-ids';
import { systemClock } from './infrastructure/system/system-clock';
import { EventsController } from './interfaces/http/events/events.controller';
import { AccessKeysController } from './interfaces/http/identity/access-keys.controller';
import { AuthController, TOKEN_TTL_SECONDS } from './interfaces/http/identity/auth.controller';
import { ProjectsController } from './interfaces/http/identity/projects.controller';
import { UsersController } from './interfaces/http/identity/users.controller';
import { HealthController } from './interfaces/http/operations/health.controller';
import { AllExceptionsFilter } from './interfaces/http/shared/all-exceptions.filter';
import { AuthGuard } from './interfaces/http/shared/auth.guard';
import { IdempotencyInterceptor } from './interfaces/http/shared/idempotency.interceptor';
import { Lifecycle } from './lifecycle';
import { CreateFlavorHandler, DeleteFlavorHandler, DeleteImageHandler, RegisterImageHandler } from './application/compute/commands/catalog.commands';
import { DeleteKeyPairHandler, ImportKeyPairHandler } from './application/compute/commands/keypair.commands';
import { RegisterHostHandler } from './application/compute/commands/register-host.command';
import { COMPUTE_READ_MODEL, ComputeReadModel } from './application/compute/ports/compute-read-model.port';
import { ComputeQueries } from './application/compute/compute.queries';
import { CreateNetworkHandler, DeleteNetworkHandler } from './application/network/commands/network.commands';
import {
  ChangeSecurityGroupRulesHandler,
  CreateSecurityGroupHandler,
  DeleteSecurityGroupHandler,
} from './application/network/commands/security-group.commands';
import { SecurityGroupWorker } from './application/network/security-group.worker';
import { AllocateFloatingIpHandler, ChangeFloatingIpHandler, FloatingIpNat } from './application/network/commands/floating-ip.commands';
import { FloatingIpsController } from './interfaces/http/network/floating-ips.controller';
import { SecurityRules } from './application/network/security-rules';
import { PortRepairer } from './application/network/port-repair';
import { SecurityGroupsController } from './interfaces/http/network/security-groups.controller';
import { NETWORK_READ_MODEL } from './application/network/ports/network-read-model.port';
import { NetworkQueries } from './application/network/network.queries';
import { NETWORK_SETTINGS } from './application/network/network.settings';
import { TypeOrmComputeReadModel } from './infrastructure/read-models/compute/compute.read-model';
import { TypeOrmNetworkReadModel } from './infrastructure/read-models/network/network.read-model';
import { FlavorsController, HostsController, ImagesController, KeyPairsController } from './interfaces/http/compute/compute.controllers';
import { NetworksController } from './interfaces/http/network/networks.controller';
import { ChangeInstanceHandler } from './application/compute/commands/instance-lifecycle.commands';
import { LaunchInstancesHandler } from './application/compute/commands/launch-instances.command';
import { INSTANCE_READ_MODEL } from './application/compute/ports/instance-read-model.port';
import { InstanceQueries } from './application/compute/instance.queries';
import { HOST_DRIVERS } from './application/compute/ports/host-drivers.port';
import { ProvisioningWorker } from './application/compute/provisioning/provisioning.worker';
import { PROVISIONING_SETTINGS } from './application/compute/provisioning/provisioning.settings';
import { TypeOrmInstanceReadModel } from './infrastructure/read-models/compute/instance.read-model';
import { SimulatedHostDrivers } from './infrastructure/simulation/simulated-host-drivers';
import { ConfiguredHostDrivers } from './infrastructure/drivers/configured-host-drivers';
import { InstancesController } from './interfaces/http/compute/instances.controller';
import { RECONCILER_SETTINGS, Reconciler } from './application/compute/reconciliation/host.reconciler';
import { ChangeVolumeHandler, CreateVolumeHandler } from './application/storage/commands/volume.commands';
import { CreateSnapshotHandler, DeleteSnapshotHandler } from './application/storage/commands/snapshot.commands';
import { VOLUME_READ_MODEL } from './application/storage/ports/volume-read-model.port';
import { VolumeQueries } from './application/storage/volume.queries';
import { VolumeWorker } from './application/storage/volume.worker';
import { TypeOrmVolumeReadModel } from './infrastructure/read-models/storage/volume.read-model';
import { VolumesController } from './interfaces/http/storage/volumes.controller';
import { PROJECTIONS } from './infrastructure/read-models/projections';
import { INTEGRATION_BUS } from './application/ports/integration-bus.port';
import { CHECKPOINT_STORE } from './application/ports/checkpoint-store.port';
import { EventRelay, RELAY_SETTINGS } from './application/integration/event-relay';
import { BILLING_SETTINGS, BillingConsumer } from './application/billing/billing.consumer';
import { BILLING_STORE } from './application/billing/ports/billing-store.port';
import { BillingQueries } from './application/billing/billing.queries';
import { PRICE_SHEET } from './application/billing/price-sheet.settings';
import { KafkaBus } from './infrastructure/messaging/kafka-bus';
import { InProcessBus } from './infrastructure/messaging/in-process-bus';
import { SqlCheckpointStore } from './infrastructure/persistence/sql-checkpoint-store';
import { SqlBillingStore } from './infrastructure/billing/sql-billing-store';
import { BillingController } from './interfaces/http/billing/billing.controller';
import { NO_HOSTS } from './application/compute/agents/no-hosts-scope';
import { AuditQueries } from './application/events/audit.queries';
import { LOG_INTEGRITY } from './application/ports/log-integrity.port';
import { ChainVerifier } from './infrastructure/event-store/sql/chain-verifier';
import { AuditController } from './interfaces/http/events/audit.controller';
import { PROCESS_ROLE, ProcessRole } from './process-role';
import { HOST_SCOPE } from './application/compute/ports/host-scope.port';
import { ControllerScope } from './application/compute/agents/controller-scope';
import { AgentScope } from './application/compute/agents/agent-scope';
import { CheckpointProgress } from './infrastructure/projections/checkpoint-progress';
import { CONFIG, DATABASE, LOGGER_INSTANCE } from './tokens';
import { IdentityGrpcController } from './interfaces/grpc/identity.grpc';
import { ComputeGrpcController } from './interfaces/grpc/compute.grpc';
import { CatalogGrpcController } from './interfaces/grpc/catalog.grpc';
import { NetworkGrpcController } from './interfaces/grpc/network.grpc';
import { StorageGrpcController } from './interfaces/grpc/storage.grpc';
import { EventsGrpcController } from './interfaces/grpc/events.grpc';

const COMMAND_HANDLERS = [
  CreateProjectHandler,
  UpdateProjectQuotasHandler,
  CreateUserHandler,
  ChangeRoleHandler,
  IssueTokenHandler,
  RevokeTokenHandler,
  CreateAccessKeyHandler,
  DeleteAccessKeyHandler,
  CreateFlavorHandler,
  DeleteFlavorHandler,
  RegisterImageHandler,
  DeleteImageHandler,
  ImportKeyPairHandler,
  DeleteKeyPairHandler,
  RegisterHostHandler,
  CreateNetworkHandler,
  DeleteNetworkHandler,
  CreateSecurityGroupHandler,
  ChangeSecurityGroupRulesHandler,
  DeleteSecurityGroupHandler,
  AllocateFloatingIpHandler,
  ChangeFloatingIpHandler,
  LaunchInstancesHandler,
  ChangeInstanceHandler,
  CreateVolumeHandler,
  CreateSnapshotHandler,
  DeleteSnapshotHandler,
  ChangeVolumeHandler,
];

/** Which hosts this process drives (see HostScope): every host for the orchestrator, its own for an agent, none for the relay or billing. */
function hostScopeProvider(role: ProcessRole): Provider {
  if (role.kind === 'orchestrator') return { provide: HOST_SCOPE, useClass: ControllerScope };
  if (role.kind === 'agent') {
    return {
      provide: HOST_SCOPE,
      inject: [COMPUTE_READ_MODEL, CommandExecutor, ID_GENERATOR],
      useFactory: async (compute: ComputeReadModel, executor: CommandExecutor, ids: IdGenerator) => {
        const host = await compute.getHost(role.host);
        if (!host) throw new Error(`No host "${role.host}": register it with POST /v1/hosts first`);
        return new AgentScope(host.id, ids.next('agt'), executor);
      },
    };
  }
  return { provide: HOST_SCOPE, useValue: NO_HOSTS };
}

/** The composition root: binds every port to its adapter for one configuration. */
@Module({})
export class AppModule {
  static forRoot(config: Config, logger: JsonLogger, role: ProcessRole = { kind: 'orchestrator' }): DynamicModule {
    const metrics = new PrometheusMetrics();
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        AuthController,
        ProjectsController,
        UsersController,
        AccessKeysController,
        EventsController,
        AuditController,
        BillingController,
        FlavorsController,
        ImagesController,
        KeyPairsController,
        HostsController,
        NetworksController,
        SecurityGroupsController,
        FloatingIpsController,
        InstancesController,
        VolumesController,
        IdentityGrpcController,
        ComputeGrpcController,
        CatalogGrpcController,
        NetworkGrpcController,
        StorageGrpcController,
        EventsGrpcController,
      ],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER_INSTANCE, useValue: logger },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: CLOCK, useValue: systemClock },
        { provide: ID_GENERATOR, useValue: randomIds },
        { provide: SECRETS, useValue: new NodeSecrets(config.masterKey) },
        { provide: TOKEN_TTL_SECONDS, useValue: config.tokenTtlSeconds },
        { provide: DATABASE, useFactory: () => openDatabase(config) },
        {
          provide: EVENT_STORE,
          inject: [DATABASE],
          useFactory: (db: Database) => createEventStore(db, { pollIntervalMs: config.pollIntervalMs }),
        },
        {
          provide: ProjectionRunner,
          inject: [DATABASE, EVENT_STORE],
          useFactory: (db: Database, store: EventStore) => new ProjectionRunner(db, store, PROJECTIONS, logger),
        },
        role.kind === 'orchestrator'
          ? { provide: READ_MODEL_PROGRESS, useExisting: ProjectionRunner }
          : {
              provide: READ_MODEL_PROGRESS,
              inject: [DATABASE],
              useFactory: (db: Database) =>
                new CheckpointProgress(
                  db,
                  PROJECTIONS.map((p) => p.name),
                  config.pollIntervalMs,
                ),
            },
        { provide: PROCESS_ROLE, useValue: role },
        hostScopeProvider(role),
        { provide: IDENTITY_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmIdentityReadModel(db) },
        { provide: IDEMPOTENCY_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlIdempotencyStore(db) },
        { provide: COMPUTE_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmComputeReadModel(db) },
        { provide: NETWORK_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmNetworkReadModel(db) },
        { provide: NETWORK_SETTINGS, useValue: { vlanMin: config.vlanMin, vlanMax: config.vlanMax, floatingIpPool: config.floatingIpPool } },
        ComputeQueries,
        NetworkQueries,
        SecurityRules,
        FloatingIpNat,
        SecurityGroupWorker,
        PortRepairer,
        InstanceQueries,
        ProvisioningWorker,
        Reconciler,
        VolumeWorker,
        VolumeQueries,
        { provide: VOLUME_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmVolumeReadModel(db) },
        {
          provide: RECONCILER_SETTINGS,
          useValue: { intervalMs: config.reconcileIntervalMs, orphanGraceMs: config.orphanGraceMs, powerDriftPolicy: config.powerDriftPolicy },
        },
        { provide: INSTANCE_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmInstanceReadModel(db) },
        {
          provide: HOST_DRIVERS,
          useValue: new ConfiguredHostDrivers(new SimulatedHostDrivers({ latencyMs: config.simulatedLatencyMs }, config.simulatedStateFile), config),
        },
        {
          provide: PROVISIONING_SETTINGS,
          useValue: {
            spawnTimeoutMs: config.spawnTimeoutMs,
            maxAttempts: 3,
            shutdownTimeoutMs: config.shutdownTimeoutMs,
            softRebootTimeoutMs: config.softRebootTimeoutMs,
            concurrency: config.provisionConcurrency,
            weigher: config.schedulerWeigher,
          },
        },
        CommandExecutor,
        Authenticator,
        IdentityQueries,
        EventLogQueries,
        AuditQueries,
        {
          provide: INTEGRATION_BUS,
          useFactory: () =>
            config.kafkaBrokers.length > 0
              ? new KafkaBus({ brokers: config.kafkaBrokers, clientId: `orchestrator-${role.kind}`, partitions: 3 }, logger)
              : new InProcessBus(),
        },
        { provide: CHECKPOINT_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlCheckpointStore(db) },
        { provide: RELAY_SETTINGS, useValue: { topicPrefix: config.topicPrefix, name: `relay-${config.topicPrefix}`, batchSize: 500 } },
        { provide: BILLING_SETTINGS, useValue: { topicPrefix: config.topicPrefix, group: `${config.topicPrefix}-billing` } },
        { provide: BILLING_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlBillingStore(db) },
        { provide: PRICE_SHEET, useValue: config.priceSheet },
        EventRelay,
        BillingConsumer,
        BillingQueries,
        { provide: LOG_INTEGRITY, inject: [DATABASE], useFactory: (db: Database) => new ChainVerifier(db) },
        BootstrapAdmin,
        ...COMMAND_HANDLERS,
        Lifecycle,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useFactory: () => new AllExceptionsFilter(logger) },
      ],
    };
  }
}
