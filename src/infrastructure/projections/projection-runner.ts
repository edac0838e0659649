import { EventStore, RecordedEvent, Subscription } from '../../application/ports/event-store.port';
import { ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Database, Tx } from '../persistence/database';
import { Projection } from './projection';

type Log = { error(message: string, fields?: Record<string, unknown>): void };

const RESTART_DELAY_MS = 1_000;
/** A transaction per batch costs the same whatever its size: under load, gather a few milliseconds of events into one. */
const GATHER_MS = 5;

/**
 * Feeds the global log into every projection, each from its own checkpoint; the checkpoint moves
 * in the same transaction as the read-model writes. All projections follow the log together: one
 * subscription, one transaction per batch for all of them (each skips what it already had). A
 * failure rolls the batch back and the runner restarts from the checkpoints after a delay
 * (logged), never skipping past an event.
 */
export class ProjectionRunner implements ReadModelProgress {
  private readonly positions = new Map<string, number>();
  private subscription: Subscription | null = null;
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
    await this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.subscription?.stop();
    this.subscription = null;
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

  /**
   * Applies the log from the projections' checkpoints up to `until` (default: the head) in one
   * pass, reading the next batch while the current one is written. On PostgreSQL each projection
   * writes a batch in a transaction of its own, all at once on several connections (they share
   * no table); SQLite has one writer, so there all go in one transaction. Returns how many events
   * of the log were read.
   */
  async catchUp(until = Number.POSITIVE_INFINITY, onBatch?: (replayed: number, position: number) => void): Promise<number> {
    for (const projection of this.projections) this.positions.set(projection.name, await this.checkpointOf(projection.name));
    let position = this.position();
    let replayed = 0;
    const read = (from: number) => {
      const batch = from < until ? this.store.readAll(from, this.batchSize) : Promise.resolve([]);
      batch.catch(() => undefined); // awaited below; a failed write must not leave it unhandled
      return batch;
    };
    let next = read(position);
    for (;;) {
      const batch = (await next).filter((e) => e.position <= until);
      if (batch.length === 0) break;
      position = batch[batch.length - 1].position;
      next = read(position);
      await (this.db.dialect === 'postgres' ? this.applyConcurrently(batch) : this.applyToAll(batch));
      replayed += batch.length;
      onBatch?.(replayed, position);
    }
    return replayed;
  }

  private async follow(): Promise<void> {
    for (const projection of this.projections) this.positions.set(projection.name, await this.checkpointOf(projection.name));
    this.notify();
    const from = this.position();
    const subscription = this.store.subscribe(from, (batch) => this.applyToAll(batch), { batchSize: this.batchSize, gatherMs: GATHER_MS });
    this.subscription = subscription;
    subscription.done.catch((error: unknown) => {
      this.log.error('projections failed; restarting from their checkpoints', { error: String(error) });
      setTimeout(() => {
        if (this.running && this.subscription === subscription) void this.follow();
      }, RESTART_DELAY_MS).unref();
    });
  }

  private async applyToAll(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    await this.db.transaction(async (tx) => {
      for (const projection of this.projections) await this.applyUnseen(projection, batch, tx);
      await this.saveCheckpoints(
        tx,
        this.projections.map((p) => p.name),
        last,
      );
    });
    for (const projection of this.projections) this.positions.set(projection.name, last);
    this.notify();
  }

  private async applyConcurrently(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    await Promise.all(
      this.projections.map(async (projection) => {
        await this.db.transaction(async (tx) => {
          await this.applyUnseen(projection, batch, tx);
          await this.saveCheckpoints(tx, [projection.name], last);
        });
        this.positions.set(projection.name, last);
      }),
    );
    this.notify();
  }

  /** The events of the batch past the projection's checkpoint. */
  private async applyUnseen(projection: Projection, batch: readonly RecordedEvent[], tx: Tx): Promise<void> {
    const from = this.positions.get(projection.name) ?? 0;
    const unseen = from < batch[0].position ? batch : batch.filter((e) => e.position > from);
    if (unseen.length > 0) await projection.apply(unseen, tx);
  }

  private async checkpointOf(name: string): Promise<number> {
    const rows = await this.db.query<{ position: number }>(`SELECT position FROM rm_checkpoints WHERE name = ${this.db.param(1)}`, [name]);
    return Number(rows[0]?.position ?? 0);
  }

  private async saveCheckpoints(tx: Tx, names: readonly string[], position: number): Promise<void> {
    const values = names.map((_, i) => `(${this.db.param(2 * i + 1)}, ${this.db.param(2 * i + 2)})`).join(', ');
    await tx.query(
      `INSERT INTO rm_checkpoints (name, position) VALUES ${values}
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      names.flatMap((name) => [name, position]),
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
