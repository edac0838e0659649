import { integer } from './config-values';

/** How several orchestrator processes on one PostgreSQL database share the work (see ClusterMembership). */
export type ClusterConfig = {
  /** Shards the background work is split into; the same in every process of a cluster. */
  workShards: number;
  /** How often a process heartbeats and rebalances its shards. */
  clusterHeartbeatMs: number;
  /** After SIGTERM, how long /readyz answers 503 while requests are still served, before the process closes. */
  drainMs: number;
};

export function clusterConfig(env: NodeJS.ProcessEnv, store: 'embedded' | 'postgres'): ClusterConfig {
  return {
    workShards: integer(env, 'ORCH_WORK_SHARDS', 32, 1, 1024),
    clusterHeartbeatMs: integer(env, 'ORCH_CLUSTER_HEARTBEAT_MS', 1_000, 100, 60_000),
    // Behind a load balancer (PostgreSQL), long enough for its health checks to notice; alone, nothing to drain toward.
    drainMs: integer(env, 'ORCH_DRAIN_MS', store === 'postgres' ? 2_000 : 0, 0, 600_000),
  };
}
