import { Client } from 'pg';
import { OwnershipWatcher, WorkOwnership } from '../../application/ports/work-ownership.port';
import { JsonLogger } from '../logging/json-logger';
import { planShares } from './fair-share';
import { CLUSTER_LOCKS, LeaseHolders, readLeaseHolders } from './lease-holders';
import { shardOf } from './shard-of';

/** Work that only one process of the cluster may run at a time (the projections, the relay). */
export type Singleton = { name: string; lockId: number; part: { start(): Promise<void>; stop(): Promise<void> } };

export type MembershipSettings = {
  url: string;
  shards: number;
  heartbeatMs: number;
  member: { id: string; host: string; pid: number; url: string; region: string };
};

/**
 * This process's place among the orchestrators sharing one PostgreSQL database. Ownership lives in
 * PostgreSQL's session advisory locks on a connection of its own: one lock per shard of the
 * background work (keys hashed into `shards`) and one per singleton. A lock dies with its
 * connection, so a process killed outright loses everything at once and the others take it over at
 * their next heartbeat; no lease has to expire. Every heartbeat it reads who is alive (a member
 * row whose connection is still open) and who holds what (pg_locks), and moves toward a fair share
 * (planShares): taking free shards, and giving back surplus only after the steps in flight on
 * their keys have finished (see OwnershipWatcher). Should its connection fail, it owns nothing
 * from that moment and registers again on a new one.
 */
export class ClusterMembership implements WorkOwnership {
  private client: Client | null = null;
  private readonly held = new Set<number>();
  private readonly watchers = new Set<OwnershipWatcher>();
  private readonly running = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly singletons: Singleton[] = [];
  private live = 1;

  constructor(
    private readonly settings: MembershipSettings,
    private readonly log: JsonLogger,
  ) {}

  /** Work that must run in one process of the cluster at a time: started here whenever this process holds its lock. */
  runAlone(singleton: Singleton): void {
    this.singletons.push(singleton);
  }

  /** Whether this process runs the singleton now. */
  runs(name: string): boolean {
    return this.running.has(name);
  }

  owns(key: string): boolean {
    return this.held.has(shardOf(key, this.settings.shards));
  }

  watch(watcher: OwnershipWatcher): () => void {
    this.watchers.add(watcher);
    if (this.held.size > 0) watcher.gained();
    return () => this.watchers.delete(watcher);
  }

  /** Orchestrators alive on the database at the last heartbeat, this one included (at least 1). */
  liveMembers(): number {
    return this.live;
  }

  /** The shards and singletons this process holds now. */
  holdings(): { shards: number[]; singletons: string[] } {
    return { shards: [...this.held].sort((a, b) => a - b), singletons: [...this.running] };
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    this.schedule();
  }

  /** Gives everything back in order: singletons stopped, shards' steps drained, the connection closed (which frees every lock). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    const client = this.client;
    if (client) await client.query('UPDATE cluster_members SET leaving = true WHERE id = $1', [this.settings.member.id]).catch(() => undefined);
    await this.release([...this.held], client);
    for (const s of this.singletons) await this.stopSingleton(s);
    if (client) {
      await client.query('DELETE FROM cluster_members WHERE id = $1', [this.settings.member.id]).catch(() => undefined);
      this.client = null;
      await client.end().catch(() => undefined);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => this.schedule());
    }, this.settings.heartbeatMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      await client.query('UPDATE cluster_members SET heartbeat_at = now() WHERE id = $1', [this.settings.member.id]);
      // Members that died stay listed (alive: false) for an hour, for the operator to see, then go.
      await client.query(
        `DELETE FROM cluster_members WHERE heartbeat_at < now() - interval '1 hour' AND backend_pid NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)`,
      );
      for (const s of this.singletons) if (!this.running.has(s.name)) await this.trySingleton(client, s);
      await this.rebalance(client, await readLeaseHolders(client, this.settings.heartbeatMs));
    } catch (error) {
      if (!this.stopped) this.log.warnWith('cluster: heartbeat failed; owning nothing until it succeeds', { error: String(error) });
      await this.lost();
    }
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.settings.url, application_name: `orchestrator ${this.settings.member.id}` });
    client.on('error', (error) => {
      this.log.warnWith('cluster: lost the membership connection', { error: String(error) });
      void this.lost();
    });
    await client.connect();
    const m = this.settings.member;
    await client.query(
      `INSERT INTO cluster_members (id, backend_pid, host, pid, url, region) VALUES ($1, pg_backend_pid(), $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET backend_pid = excluded.backend_pid, heartbeat_at = now(), leaving = false`,
      [m.id, m.host, m.pid, m.url, m.region],
    );
    this.client = client;
    return client;
  }

  private async rebalance(client: Client, view: LeaseHolders): Promise<void> {
    this.live = Math.max(1, view.live.length);
    const { acquire, release } = planShares({ shards: this.settings.shards, me: this.settings.member.id, live: view.live, holders: view.shards });
    if (release.length > 0) await this.release(release, client);
    const gained: number[] = [];
    for (const shard of acquire) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [CLUSTER_LOCKS.shard, shard]);
      if (rows[0]?.ok) gained.push(shard);
    }
    if (gained.length === 0) return;
    gained.forEach((shard) => this.held.add(shard));
    this.log.info('cluster: took shards', { shards: gained, holding: this.held.size });
    for (const watcher of this.watchers) watcher.gained();
  }

  /** Stops owning the shards (no new steps on their keys), waits for their steps in flight, then unlocks them. */
  private async release(shards: readonly number[], client: Client | null): Promise<void> {
    if (shards.length === 0) return;
    const leaving = new Set(shards);
    shards.forEach((shard) => this.held.delete(shard));
    const leaves = (key: string) => leaving.has(shardOf(key, this.settings.shards));
    await Promise.all([...this.watchers].map((w) => w.releasing(leaves)));
    if (client) for (const shard of shards) await client.query('SELECT pg_advisory_unlock($1, $2)', [CLUSTER_LOCKS.shard, shard]);
    this.log.info('cluster: gave shards back', { shards, holding: this.held.size });
  }

  private async trySingleton(client: Client, s: Singleton): Promise<void> {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [CLUSTER_LOCKS.singleton, s.lockId]);
    if (!rows[0]?.ok) return;
    this.running.add(s.name);
    try {
      await s.part.start();
      this.log.info('cluster: running a singleton', { singleton: s.name });
    } catch (error) {
      this.running.delete(s.name);
      await client.query('SELECT pg_advisory_unlock($1, $2)', [CLUSTER_LOCKS.singleton, s.lockId]);
      throw error;
    }
  }

  private async stopSingleton(s: Singleton): Promise<void> {
    if (!this.running.delete(s.name)) return;
    await s.part.stop().catch((error: unknown) => this.log.errorWith('cluster: a singleton did not stop cleanly', { singleton: s.name, error: String(error) }));
  }

  /** The connection is gone, and every lock with it: own nothing from now on, and connect afresh at the next heartbeat. */
  private async lost(): Promise<void> {
    const client = this.client;
    this.client = null;
    const shards = [...this.held];
    this.held.clear();
    const leaves = (key: string) => shards.includes(shardOf(key, this.settings.shards));
    for (const w of this.watchers) void w.releasing(leaves);
    for (const s of this.singletons) await this.stopSingleton(s);
    await client?.end().catch(() => undefined);
  }
}
