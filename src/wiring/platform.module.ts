import { DynamicModule, Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CHECKPOINT_STORE } from '../application/ports/checkpoint-store.port';
import { CLOCK } from '../application/ports/clock.port';
import { EVENT_STORE, EventStore } from '../application/ports/event-store.port';
import { ID_GENERATOR } from '../application/ports/id-generator.port';
import { IDEMPOTENCY_STORE } from '../application/ports/idempotency.port';
import { INTEGRATION_BUS } from '../application/ports/integration-bus.port';
import { LOG_INTEGRITY } from '../application/ports/log-integrity.port';
import { LOGGER } from '../application/ports/logger.port';
import { METRICS, Metrics } from '../application/ports/metrics.port';
import { TRACING } from '../application/ports/tracing.port';
import { tracingFor } from '../infrastructure/tracing/tracing-factory';
import { COMPUTE_EVENT_TYPES } from '../domain/compute/compute-events';
import { NETWORK_EVENT_TYPES } from '../domain/network/network-events';
import { STORAGE_EVENT_TYPES } from '../domain/storage/storage-events';
import { READ_MODEL_PROGRESS } from '../application/ports/read-model-progress.port';
import { SECRETS } from '../application/ports/secrets.port';
import { CommandExecutor } from '../application/shared/command-executor';
import { CLUSTER_VIEW } from '../application/ports/cluster-view.port';
import { REQUEST_THROTTLE } from '../application/ports/request-throttle.port';
import { WORK_OWNERSHIP } from '../application/ports/work-ownership.port';
import { WORK_SETTINGS } from '../application/shared/work/work.settings';
import { Config } from '../infrastructure/config/config';
import { NodeSecrets } from '../infrastructure/crypto/node-secrets';
import { ChainVerifier } from '../infrastructure/event-store/sql/chain-verifier';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { InProcessBus } from '../infrastructure/messaging/in-process-bus';
import { KafkaBus } from '../infrastructure/messaging/kafka-bus';
import { PrometheusMetrics } from '../infrastructure/metrics/prometheus-metrics';
import { Database } from '../infrastructure/persistence/database';
import { SqlIdempotencyStore } from '../infrastructure/persistence/idempotency-store.sql';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { PROJECTIONS } from '../infrastructure/read-models/projections';
import { openDatabase } from '../infrastructure/persistence/open-database';
import { SqlCheckpointStore } from '../infrastructure/persistence/sql-checkpoint-store';
import { ProjectionRunner } from '../infrastructure/projections/projection-runner';
import { randomIds } from '../infrastructure/system/random-ids';
import { systemClock } from '../infrastructure/system/system-clock';
import { PROCESS_ROLE, ProcessRole } from './process-role';
import { clusterProviders } from './cluster-providers';
import { CONFIG, DATABASE, IDENTITY_HOME, LOGGER_INSTANCE, MEMBERSHIP, NOTIFICATIONS, STORES } from './tokens';
import { Stores, openStores } from './identity-home';

const EXPORTS = [
  CONFIG,
  LOGGER_INSTANCE,
  LOGGER,
  METRICS,
  TRACING,
  CLOCK,
  ID_GENERATOR,
  SECRETS,
  DATABASE,
  EVENT_STORE,
  ProjectionRunner,
  READ_MODEL_PROGRESS,
  PROCESS_ROLE,
  CommandExecutor,
  IDEMPOTENCY_STORE,
  CHECKPOINT_STORE,
  INTEGRATION_BUS,
  LOG_INTEGRITY,
  WORK_SETTINGS,
  WORK_OWNERSHIP,
  CLUSTER_VIEW,
  REQUEST_THROTTLE,
  NOTIFICATIONS,
  MEMBERSHIP,
  IDENTITY_HOME,
];

/**
 * The shared machinery of every process: configuration, logging and metrics, the database and the
 * event store, the command executor, the projections, the integration bus. Global: every context
 * module uses it. One orchestrator of the cluster runs the projections at a time; any other process
 * waits on their checkpoints in the database (see clusterProviders).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: Config, logger: JsonLogger, role: ProcessRole): DynamicModule {
    const metrics = new PrometheusMetrics(FAILURE_EVENT_TYPES);
    const tracing = tracingFor(config, role.kind, logger);
    if (tracing.droppedSpans) metrics.tracingDrops(tracing.droppedSpans.bind(tracing));
    return {
      module: PlatformModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER_INSTANCE, useValue: logger },
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: TRACING, useValue: tracing },
        { provide: CLOCK, useValue: systemClock },
        { provide: ID_GENERATOR, useValue: randomIds },
        { provide: SECRETS, useValue: new NodeSecrets(config.masterKey) },
        { provide: PROCESS_ROLE, useValue: role },
        { provide: DATABASE, useFactory: () => openDatabase(config) },
        {
          provide: STORES,
          inject: [DATABASE, NOTIFICATIONS],
          useFactory: (db: Database, commits: PgNotifications | null) => openStores(config, logger, db, commits, role.kind === 'orchestrator'),
        },
        { provide: EVENT_STORE, inject: [STORES], useFactory: (stores: Stores) => stores.store },
        { provide: IDENTITY_HOME, inject: [STORES], useFactory: (stores: Stores) => stores.home },
        {
          provide: ProjectionRunner,
          inject: [DATABASE, EVENT_STORE, METRICS],
          useFactory: (db: Database, store: EventStore, metrics: Metrics) => {
            const runner = new ProjectionRunner(db, store, PROJECTIONS, logger);
            metrics.projectionLag(async () => (runner.isRunning() ? Math.max(0, (await store.headPosition()) - runner.position()) : null));
            return runner;
          },
        },
        ...clusterProviders(config, logger, role),
        CommandExecutor,
        { provide: IDEMPOTENCY_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlIdempotencyStore(db) },
        { provide: CHECKPOINT_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlCheckpointStore(db) },
        { provide: LOG_INTEGRITY, inject: [DATABASE], useFactory: (db: Database) => new ChainVerifier(db) },
        {
          provide: INTEGRATION_BUS,
          useFactory: () =>
            config.kafkaBrokers.length > 0
              ? new KafkaBus({ brokers: config.kafkaBrokers, clientId: `orchestrator-${role.kind}`, partitions: config.kafkaPartitions }, logger)
              : new InProcessBus(),
        },
        {
          provide: WORK_SETTINGS,
          useValue: {
            backoff: { baseMs: config.workBackoffBaseMs, capMs: config.workBackoffCapMs },
            maxAttempts: config.workMaxAttempts,
            giveUpAfterMs: config.workGiveUpAfterMs,
          },
        },
      ],
      exports: EXPORTS,
    };
  }
}

/** Event types that record a failure: counted by type in orch_failure_events_total. */
const FAILURE_EVENT_TYPES = [...COMPUTE_EVENT_TYPES, ...NETWORK_EVENT_TYPES, ...STORAGE_EVENT_TYPES].filter((type) => type.endsWith('Failed'));
