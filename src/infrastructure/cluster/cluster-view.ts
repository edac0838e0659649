import { ClusterMemberView, ClusterState, ClusterView } from '../../application/ports/cluster-view.port';
import { Database } from '../persistence/database';
import { CLUSTER_LOCKS, SINGLETON_LOCK_IDS, livenessWindowSeconds } from './lease-holders';

type Self = { id: string; host: string; pid: number; url: string; region: string; startedAt: string };

const SINGLETON_NAMES = new Map<number, string>(Object.entries(SINGLETON_LOCK_IDS).map(([name, id]) => [id, name]));

/** The cluster as PostgreSQL sees it: member rows, and the advisory locks their connections hold. */
export class SqlClusterView implements ClusterView {
  constructor(
    private readonly db: Database,
    private readonly shards: number,
    private readonly heartbeatMs: number,
    private readonly selfId: string,
  ) {}

  async describe(): Promise<ClusterState> {
    const members = await this.db.query<{
      id: string;
      backend_pid: number;
      host: string;
      pid: number;
      url: string;
      region: string;
      started_at: Date;
      heartbeat_at: Date;
      leaving: boolean;
      alive: boolean;
    }>(
      `SELECT m.*, (a.pid IS NOT NULL AND m.heartbeat_at > now() - make_interval(secs => ${this.db.param(1)})) AS alive
         FROM cluster_members m LEFT JOIN pg_stat_activity a ON a.pid = m.backend_pid ORDER BY m.started_at, m.id`,
      [livenessWindowSeconds(this.heartbeatMs)],
    );
    const locks = await this.db.query<{ classid: number; objid: number; pid: number }>(
      `SELECT l.classid::int AS classid, l.objid::int AS objid, l.pid FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid IN (${this.db.param(1)}, ${this.db.param(2)})
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [CLUSTER_LOCKS.shard, CLUSTER_LOCKS.singleton],
    );
    const view = (m: (typeof members)[number]): ClusterMemberView => {
      const mine = locks.filter((l) => Number(l.pid) === Number(m.backend_pid) && m.alive);
      return {
        id: m.id,
        host: m.host,
        pid: Number(m.pid),
        url: m.url,
        region: m.region,
        startedAt: new Date(m.started_at).toISOString(),
        heartbeatAt: new Date(m.heartbeat_at).toISOString(),
        alive: m.alive,
        leaving: m.leaving,
        self: m.id === this.selfId,
        shards: mine
          .filter((l) => Number(l.classid) === CLUSTER_LOCKS.shard)
          .map((l) => Number(l.objid))
          .sort((a, b) => a - b),
        singletons: mine.filter((l) => Number(l.classid) === CLUSTER_LOCKS.singleton).map((l) => SINGLETON_NAMES.get(Number(l.objid)) ?? String(l.objid)),
      };
    };
    return { shards: this.shards, members: members.map(view) };
  }
}

/** A process alone on its store (the embedded default): it is the whole cluster and owns all work. */
export class SoloClusterView implements ClusterView {
  constructor(
    private readonly self: Self,
    private readonly singletons: readonly string[],
  ) {}

  async describe(): Promise<ClusterState> {
    const { id, host, pid, url, region, startedAt } = this.self;
    return {
      shards: 1,
      members: [
        {
          id,
          host,
          pid,
          url,
          region,
          startedAt,
          heartbeatAt: new Date().toISOString(),
          alive: true,
          leaving: false,
          self: true,
          shards: [0],
          singletons: [...this.singletons],
        },
      ],
    };
  }
}
