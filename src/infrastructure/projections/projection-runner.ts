import { EventStore, RecordedEvent, Subscription } from '../../application/ports/event-store.port';
import { ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Database, Tx } from '../persistence/database';
import { Projection } from './projection';

type Log = { error(message: string, fields?: Record<string, unknown>): void };

const RESTART_DELAY_MS = 1_000;

/**
 * Feeds the global log into every projection, each from its own checkpoint; the checkpoint moves
 * in the same transaction as the read-model writes. A failing projection is restarted from its
 * checkpoint after a delay (and logged), never skipped past.
 */
export class ProjectionRunner implements ReadModelProgress {
  private readonly positions = new Map<string, number>();
  private readonly subscriptions = new Map<string, Subscription>();
  private waiters: Array<{ position: number; resolve: (ok: boolean) => void }> = [];
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly log: Log,
    private readonly batchSize = 500,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    for (const projection of this.projections) await this.follow(projection);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.subscriptions.values()].map((s) => s.stop()));
    this.subscriptions.clear();
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }

  /** The lowest position every projection has processed. */
  position(): number {
    return Math.min(...this.projections.map((p) => this.positions.get(p.name) ?? 0));
  }

  waitFor(position: number, timeoutMs = 10_000): Promise<boolean> {
    if (this.position() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  /** Empties every read model and its checkpoint, so the next start replays from position 0. */
  async reset(): Promise<void> {
    if (this.running) throw new Error('Stop the projections before resetting them');
    await this.db.transaction(async (tx) => {
      for (const projection of this.projections) {
        for (const table of projection.tables) await tx.query(`DELETE FROM ${table}`);
        await tx.query(`DELETE FROM rm_checkpoints WHERE name = ${this.db.param(1)}`, [projection.name]);
      }
    });
    this.positions.clear();
  }

  /** Applies everything up to the current head; returns how many events of the log were replayed. */
  async catchUp(): Promise<number> {
    let replayed = 0;
    for (const projection of this.projections) {
      let position = await this.checkpointOf(projection.name);
      let processed = 0;
      for (;;) {
        const batch = await this.store.readAll(position, this.batchSize);
        if (batch.length === 0) break;
        await this.applyBatch(projection, batch);
        position = batch[batch.length - 1].position;
        processed += batch.length;
      }
      replayed = Math.max(replayed, processed);
    }
    return replayed;
  }

  private async follow(projection: Projection): Promise<void> {
    const from = await this.checkpointOf(projection.name);
    this.positions.set(projection.name, from);
    this.notify();
    const subscription = this.store.subscribe(from, (batch) => this.applyBatch(projection, batch), { batchSize: this.batchSize });
    this.subscriptions.set(projection.name, subscription);
    subscription.done.catch((error: unknown) => {
      this.log.error('projection failed; restarting from its checkpoint', { projection: projection.name, error: String(error) });
      setTimeout(() => {
        if (this.running) void this.follow(projection);
      }, RESTART_DELAY_MS).unref();
    });
  }

  private async applyBatch(projection: Projection, batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    await this.db.transaction(async (tx) => {
      await projection.apply(batch, tx);
      await this.saveCheckpoint(tx, projection.name, last);
    });
    this.positions.set(projection.name, last);
    this.notify();
  }

  private async checkpointOf(name: string): Promise<number> {
    const rows = await this.db.query<{ position: number }>(`SELECT position FROM rm_checkpoints WHERE name = ${this.db.param(1)}`, [name]);
    return Number(rows[0]?.position ?? 0);
  }

  private async saveCheckpoint(tx: Tx, name: string, position: number): Promise<void> {
    await tx.query(
      `INSERT INTO rm_checkpoints (name, position) VALUES (${this.db.param(1)}, ${this.db.param(2)})
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      [name, position],
    );
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    const reached = this.position();
    const ready = this.waiters.filter((w) => w.position <= reached);
    this.waiters = this.waiters.filter((w) => w.position > reached);
    for (const w of ready) w.resolve(true);
  }
}
