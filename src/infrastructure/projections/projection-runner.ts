import { EventCore, EventStore, eitherTypes, RecordedEvent, Subscription, typeSelector } from '../../application/ports/event-store.port';
import { ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Database, Tx } from '../persistence/database';
import { RowFolds, writeChanges } from './row-folds';
import { Projection } from './projection';

type Log = { error(message: string, fields?: Record<string, unknown>): void };

const RESTART_DELAY_MS = 1_000;
/** A transaction per batch costs the same whatever its size: under load, gather a few milliseconds of events into one. */
const GATHER_MS = 5;
/** How many batches a catch-up reads ahead of the one it folds. */
const READ_AHEAD = 3;

export type CatchUpLimits = {
  /** A catch-up writes every projection's changes after this many events of the log. */
  readonly writeEvery: number;
  /** After a write, a projection lets go of its rows once it holds more than this, so memory stays bounded however long the log. */
  readonly maxHeldRows: number;
};

const CATCH_UP_LIMITS: CatchUpLimits = { writeEvery: 50_000, maxHeldRows: 250_000 };

/**
 * Feeds the global log into every projection, each from its own checkpoint; the checkpoint moves
 * in the same transaction as the read-model writes. All projections follow the log together: one
 * subscription, one transaction per batch for all of them (each skips what it already had). A
 * failure rolls the batch back and the runner restarts from the checkpoints after a delay
 * (logged), never skipping past an event.
 */
export class ProjectionRunner implements ReadModelProgress {
  private readonly positions = new Map<string, number>();
  private readonly selects: ReadonlyMap<string, (type: string) => boolean>;
  private subscription: Subscription | null = null;
  private waiters: Array<{ position: number; resolve: (ok: boolean) => void }> = [];
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly log: Log,
    private readonly batchSize = 500,
    private readonly limits = CATCH_UP_LIMITS,
  ) {
    this.selects = new Map(projections.map((p) => [p.name, typeSelector(p.reads)]));
  }

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

  /** Whether the projections run in this process now (in a cluster, in one process at a time). */
  isRunning(): boolean {
    return this.running;
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
   * pass, reading the next batch while the current one is folded. Each projection keeps its rows
   * in memory for the whole pass (see RowFold) and writes what changed every `limits.writeEvery`
   * events, with its checkpoint, in a transaction of its own that runs while the next events are
   * folded (on PostgreSQL on another core, the server's); past `limits.maxHeldRows` rows, a
   * projection lets go of them after a write. Only the types the projections fold are read.
   * Returns how many events were read.
   */
  async catchUp(until = Number.POSITIVE_INFINITY, onBatch?: (replayed: number, position: number) => void): Promise<number> {
    for (const projection of this.projections) this.positions.set(projection.name, await this.checkpointOf(projection.name));
    const folding = this.projections.map((projection) => ({
      projection,
      folds: new RowFolds(this.db),
      writing: Promise.resolve(),
    }));
    let position = this.position();
    let replayed = 0;
    let unwritten = 0;
    let written = position;
    // Ranges of positions, so that the next READ_AHEAD of them are read while a batch is folded.
    const last = Math.min(until, await this.store.headPosition());
    const types = this.projections.map((p) => p.reads).reduce(eitherTypes);
    const reads: Array<{ through: number; events: Promise<EventCore[]> }> = [];
    let requested = position;
    const readAhead = () => {
      while (reads.length < READ_AHEAD && requested < last) {
        const through = Math.min(requested + this.batchSize, last);
        const events = this.store.readCores(requested, through, this.batchSize, types);
        events.catch(() => undefined); // awaited below; should the catch-up fail first, this must not go unhandled
        reads.push({ through, events });
        requested = through;
      }
    };
    readAhead();
    for (let next = reads.shift(); next; next = reads.shift()) {
      const batch = await next.events;
      readAhead();
      position = next.through;
      if (batch.length === 0) continue; // none of the types read, or positions a rolled-back append left unused
      for (const { projection, folds } of folding) {
        const unseen = this.unseen(projection, batch);
        if (unseen.length > 0) await projection.apply(unseen, folds);
      }
      replayed += batch.length;
      unwritten += batch.length;
      if (unwritten >= this.limits.writeEvery) {
        for (const f of folding) await this.writeBehind(f, position);
        unwritten = 0;
        written = position;
      }
      onBatch?.(replayed, position);
    }
    if (position > written) for (const f of folding) await this.writeBehind(f, position);
    await Promise.all(folding.map((f) => f.writing));
    this.notify();
    return replayed;
  }

  /**
   * Waits for the projection's previous write, then starts writing what its folds changed up to
   * `position` (one write in flight per projection, so the rows let go were written).
   */
  private async writeBehind(folding: { projection: Projection; folds: RowFolds; writing: Promise<void> }, position: number): Promise<void> {
    const { projection, folds } = folding;
    await folding.writing;
    if (folds.size > this.limits.maxHeldRows) folds.release();
    const changes = folds.takeChanges();
    const write = this.db
      .transaction(async (tx) => {
        await writeChanges(changes, tx);
        await this.saveCheckpoints(tx, [projection.name], position);
      })
      .then(() => {
        this.positions.set(projection.name, position);
        this.notify();
      });
    write.catch(() => undefined); // awaited by the next write or at the end
    folding.writing = write;
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

  /** One batch while following the log: every projection's changes and checkpoint in one transaction. */
  private async applyToAll(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1].position;
    await this.db.transaction(async (tx) => {
      for (const projection of this.projections) {
        const unseen = this.unseen(projection, batch);
        if (unseen.length === 0) continue;
        const folds = new RowFolds(tx);
        await projection.apply(unseen, folds);
        await writeChanges(folds.takeChanges(), tx);
      }
      await this.saveCheckpoints(
        tx,
        this.projections.map((p) => p.name),
        last,
      );
    });
    for (const projection of this.projections) this.positions.set(projection.name, last);
    this.notify();
  }

  /** The events of the batch past the projection's checkpoint, of the types it reads. */
  private unseen<E extends EventCore>(projection: Projection, batch: readonly E[]): readonly E[] {
    const from = this.positions.get(projection.name) ?? 0;
    const selects = this.selects.get(projection.name) as (type: string) => boolean;
    return batch.filter((e) => e.position > from && selects(e.type));
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
    // Other processes waiting for the read models (read-your-writes) wake at this commit.
    if (this.db.dialect === 'postgres') await tx.query(`SELECT pg_notify('orch_checkpoint', ${this.db.param(1)})`, [String(position)]);
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    const reached = this.position();
    const ready = this.waiters.filter((w) => w.position <= reached);
    this.waiters = this.waiters.filter((w) => w.position > reached);
    for (const w of ready) w.resolve(true);
  }
}
