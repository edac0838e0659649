import { Migration } from './migration';

/**
 * The orchestrator processes sharing one database (PostgreSQL): one row each while it runs. Who
 * owns which work is not kept here but in PostgreSQL's advisory locks (see ClusterMembership),
 * which die with their process's connection; the row says who that connection belongs to.
 */
export const clusterMembers: Migration = {
  id: '015-cluster-members',
  up: (dialect) =>
    dialect === 'postgres'
      ? [
          `CREATE TABLE cluster_members (id TEXT PRIMARY KEY, backend_pid INT NOT NULL, host TEXT NOT NULL, pid INT NOT NULL, url TEXT NOT NULL,
             region TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
             leaving BOOLEAN NOT NULL DEFAULT false)`,
        ]
      : [],
};
