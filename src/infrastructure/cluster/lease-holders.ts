/** The advisory-lock key spaces (the first of the two int4 keys): shards of background work, and singletons. */
export const CLUSTER_LOCKS = { shard: 7262100, singleton: 7262101 } as const;

/** Singletons' lock ids (the second key). */
export const SINGLETON_LOCK_IDS = { projections: 1, relay: 2 } as const;

/** How long after its last heartbeat a member with an open connection still counts as alive (s): ten heartbeats, at least 5 s. */
export const livenessWindowSeconds = (heartbeatMs: number): number => Math.max(5, (heartbeatMs * 10) / 1000);

type Queryable = { query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }> };

/** Who is alive and who holds what, as PostgreSQL sees it. */
export type LeaseHolders = {
  /** Members whose membership connection is open and who heartbeated lately, and are not leaving. */
  live: string[];
  /** Shard → member holding its lock. */
  shards: Map<number, string>;
};

/**
 * A member is alive while the connection that registered it is: its backend is in
 * pg_stat_activity and its heartbeat is recent (a backend pid reused by another connection does
 * not keep a dead member alive).
 */
export async function readLeaseHolders(db: Queryable, heartbeatMs: number): Promise<LeaseHolders> {
  const members = await db.query<{ id: string; backend_pid: number; leaving: boolean }>(
    `SELECT m.id, m.backend_pid, m.leaving FROM cluster_members m JOIN pg_stat_activity a ON a.pid = m.backend_pid
      WHERE m.heartbeat_at > now() - make_interval(secs => $1)`,
    [livenessWindowSeconds(heartbeatMs)],
  );
  const byPid = new Map(members.rows.map((m) => [Number(m.backend_pid), m.id]));
  const locks = await db.query<{ objid: number; pid: number }>(
    `SELECT l.objid::int AS objid, l.pid FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [CLUSTER_LOCKS.shard],
  );
  const shards = new Map<number, string>();
  for (const l of locks.rows) {
    const member = byPid.get(Number(l.pid));
    if (member) shards.set(Number(l.objid), member);
  }
  return { live: members.rows.filter((m) => !m.leaving).map((m) => m.id), shards };
}
