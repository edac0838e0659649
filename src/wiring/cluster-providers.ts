import { Provider } from '@nestjs/common';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { CLUSTER_VIEW } from '../application/ports/cluster-view.port';
import { READ_MODEL_PROGRESS } from '../application/ports/read-model-progress.port';
import { ALL_WORK, WORK_OWNERSHIP } from '../application/ports/work-ownership.port';
import { METRICS } from '../application/ports/metrics.port';
import { REQUEST_THROTTLE } from '../application/ports/request-throttle.port';
import { BucketThrottle } from '../infrastructure/rate-limit/bucket-throttle';
import { registerRateLimitMetrics } from '../infrastructure/rate-limit/rate-limit-metrics';
import { ClusterMembership } from '../infrastructure/cluster/cluster-membership';
import { registerOwnershipMetrics } from '../infrastructure/cluster/cluster-metrics';
import { ClusterProgress } from '../infrastructure/cluster/cluster-progress';
import { SoloClusterView, SqlClusterView } from '../infrastructure/cluster/cluster-view';
import { Config } from '../infrastructure/config/config';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { PrometheusMetrics } from '../infrastructure/metrics/prometheus-metrics';
import { Database } from '../infrastructure/persistence/database';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { CheckpointProgress } from '../infrastructure/projections/checkpoint-progress';
import { ProjectionRunner } from '../infrastructure/projections/projection-runner';
import { PROJECTIONS } from '../infrastructure/read-models/projections';
import { ProcessRole } from './process-role';
import { DATABASE, MEMBERSHIP, NOTIFICATIONS } from './tokens';

/**
 * What lets several processes share one database: NOTIFY between them, and for orchestrators on
 * PostgreSQL their membership of the cluster (shards of background work and singletons held as
 * advisory locks), read-your-writes whoever runs the projections, GET /v1/cluster, and the rate
 * limits each process holds its share of. On the embedded store a process is alone and owns everything.
 */
export function clusterProviders(config: Config, logger: JsonLogger, role: ProcessRole): Provider[] {
  const postgres = config.store === 'postgres';
  const clustered = postgres && role.kind === 'orchestrator';
  const self = {
    id: `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    host: os.hostname(),
    pid: process.pid,
    url: config.publicUrl ?? `http://${config.httpHost}:${config.httpPort}`,
    region: config.region,
    startedAt: new Date().toISOString(),
  };
  return [
    { provide: NOTIFICATIONS, useFactory: () => (postgres ? new PgNotifications(config.databaseUrl, logger) : null) },
    {
      provide: MEMBERSHIP,
      inject: [METRICS],
      useFactory: (metrics: PrometheusMetrics) => {
        if (!clustered) return null;
        const membership = new ClusterMembership(
          { url: config.databaseUrl, shards: config.workShards, heartbeatMs: config.clusterHeartbeatMs, member: self },
          logger,
        );
        registerOwnershipMetrics(metrics.registry, config.workShards, () => membership.holdings());
        return membership;
      },
    },
    { provide: WORK_OWNERSHIP, inject: [MEMBERSHIP], useFactory: (m: ClusterMembership | null) => m ?? ALL_WORK },
    {
      provide: READ_MODEL_PROGRESS,
      inject: [DATABASE, ProjectionRunner, MEMBERSHIP, NOTIFICATIONS],
      useFactory: (db: Database, runner: ProjectionRunner, membership: ClusterMembership | null, notices: PgNotifications | null) => {
        const checkpoints = () =>
          new CheckpointProgress(
            db,
            PROJECTIONS.map((p) => p.name),
            config.pollIntervalMs,
            notices ?? undefined,
          );
        if (role.kind !== 'orchestrator') return checkpoints();
        if (!membership) return runner;
        return new ClusterProgress(runner, checkpoints(), () => membership.runs('projections'));
      },
    },
    {
      provide: REQUEST_THROTTLE,
      inject: [METRICS, MEMBERSHIP],
      useFactory: (metrics: PrometheusMetrics, membership: ClusterMembership | null) => {
        const share = () => 1 / (membership?.liveMembers() ?? 1);
        let throttle: BucketThrottle | null = null;
        const refused = registerRateLimitMetrics(metrics.registry, () => throttle?.size() ?? 0, share);
        throttle = new BucketThrottle({ rules: config.rateLimits, nowMs: () => Date.now(), share, refused });
        return throttle;
      },
    },
    {
      provide: CLUSTER_VIEW,
      inject: [DATABASE],
      useFactory: (db: Database) =>
        clustered
          ? new SqlClusterView(db, config.workShards, config.clusterHeartbeatMs, self.id)
          : new SoloClusterView(self, role.kind === 'orchestrator' ? ['projections', ...(config.relay === 'in-process' ? ['relay'] : [])] : []),
    },
  ];
}
