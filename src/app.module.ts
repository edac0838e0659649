import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EventLogQueries } from './application/events/event-log-queries';
import { CommandExecutor } from './application/event-sourcing/command-executor';
import { Authenticator } from './application/identity/authenticator';
import { BootstrapAdmin } from './application/identity/bootstrap-admin';
import { CreateAccessKeyHandler, DeleteAccessKeyHandler } from './application/identity/commands/access-keys.command';
import { ChangeRoleHandler } from './application/identity/commands/change-role.command';
import { CreateProjectHandler } from './application/identity/commands/create-project.command';
import { CreateUserHandler } from './application/identity/commands/create-user.command';
import { IssueTokenHandler } from './application/identity/commands/issue-token.command';
import { RevokeTokenHandler } from './application/identity/commands/revoke-token.command';
import { UpdateProjectQuotasHandler } from './application/identity/commands/update-project-quotas.command';
import { IDENTITY_READ_MODEL } from './application/identity/identity-read-model.port';
import { IdentityQueries } from './application/identity/identity-queries';
import { CLOCK } from './application/ports/clock.port';
import { EVENT_STORE, EventStore } from './application/ports/event-store.port';
import { ID_GENERATOR } from './application/ports/id-generator.port';
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
import { TypeOrmIdentityReadModel } from './infrastructure/persistence/identity-read-model.typeorm';
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
import { COMPUTE_READ_MODEL } from './application/compute/compute-read-model.port';
import { ComputeQueries } from './application/compute/compute-queries';
import { CreateNetworkHandler, DeleteNetworkHandler } from './application/network/commands/network.commands';
import { NETWORK_READ_MODEL } from './application/network/network-read-model.port';
import { NetworkQueries } from './application/network/network-queries';
import { NETWORK_SETTINGS } from './application/network/network-settings';
import { TypeOrmComputeReadModel } from './infrastructure/persistence/compute-read-model.typeorm';
import { TypeOrmNetworkReadModel } from './infrastructure/persistence/network-read-model.typeorm';
import { FlavorsController, HostsController, ImagesController, KeyPairsController } from './interfaces/http/compute/compute.controllers';
import { NetworksController } from './interfaces/http/network/networks.controller';
import { ChangeInstanceHandler } from './application/compute/commands/instance-lifecycle.commands';
import { LaunchInstancesHandler } from './application/compute/commands/launch-instances.command';
import { INSTANCE_READ_MODEL } from './application/compute/instance-read-model.port';
import { InstanceQueries } from './application/compute/instance-queries';
import { HOST_DRIVERS } from './application/compute/ports/host-drivers.port';
import { ProvisioningWorker } from './application/compute/provisioning/provisioning-worker';
import { PROVISIONING_SETTINGS } from './application/compute/provisioning/provisioning-settings';
import { TypeOrmInstanceReadModel } from './infrastructure/persistence/instance-read-model.typeorm';
import { SimulatedHostDrivers } from './infrastructure/simulation/simulated-host-drivers';
import { InstancesController } from './interfaces/http/compute/instances.controller';
import { RECONCILER_SETTINGS, Reconciler } from './application/compute/reconciliation/reconciler';
import { ChangeVolumeHandler, CreateVolumeHandler } from './application/storage/commands/volume.commands';
import { VOLUME_READ_MODEL } from './application/storage/volume-read-model.port';
import { VolumeQueries } from './application/storage/volume-queries';
import { VolumeWorker } from './application/storage/volume-worker';
import { TypeOrmVolumeReadModel } from './infrastructure/persistence/volume-read-model.typeorm';
import { VolumesController } from './interfaces/http/storage/volumes.controller';
import { PROJECTIONS } from './projections';
import { CONFIG, DATABASE, LOGGER_INSTANCE } from './tokens';

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
  LaunchInstancesHandler,
  ChangeInstanceHandler,
  CreateVolumeHandler,
  ChangeVolumeHandler,
];

/** The composition root: binds every port to its adapter for one configuration. */
@Module({})
export class AppModule {
  static forRoot(config: Config, logger: JsonLogger): DynamicModule {
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
        FlavorsController,
        ImagesController,
        KeyPairsController,
        HostsController,
        NetworksController,
        InstancesController,
        VolumesController,
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
        { provide: READ_MODEL_PROGRESS, useExisting: ProjectionRunner },
        { provide: IDENTITY_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmIdentityReadModel(db) },
        { provide: IDEMPOTENCY_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlIdempotencyStore(db) },
        { provide: COMPUTE_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmComputeReadModel(db) },
        { provide: NETWORK_READ_MODEL, inject: [DATABASE], useFactory: (db: Database) => new TypeOrmNetworkReadModel(db) },
        { provide: NETWORK_SETTINGS, useValue: { vlanMin: config.vlanMin, vlanMax: config.vlanMax } },
        ComputeQueries,
        NetworkQueries,
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
        { provide: HOST_DRIVERS, useValue: new SimulatedHostDrivers({ latencyMs: config.simulatedLatencyMs }, config.simulatedStateFile) },
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
