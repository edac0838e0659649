import {
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllFilter,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
  WrongExpectedVersion,
} from '../../../application/ports/event-store.port';
import { Database } from '../../persistence/database';
import { EventRowRaw, toRecordedEvent } from './event-rows';
import { AppendOutcome, InsertRow, SqlDialect } from './sql-dialect';
import { Wakeup } from './wakeup';

type PendingAppend = {
  stream: string;
  events: readonly NewEvent[];
  expected: ExpectedVersion;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};

export type SqlEventStoreOptions = {
  /** How often a follower looks for events appended by other processes (ms). */
  pollIntervalMs?: number;
  /** Upper bound of events written in one group-commit transaction. */
  maxEventsPerCommit?: number;
};

/**
 * The event store on a relational database (SQLite or PostgreSQL).
 *
 * Group commit: concurrent appends are queued and written together in one transaction, which
 * is serialised against every other appender, checks every expected version against the stream
 * heads, and inserts the accepted events. One commit (one fsync) then serves many appends;
 * an append whose expected version is wrong fails alone. Because appenders are serialised,
 * positions become visible in increasing order, and a follower that reads `position > checkpoint`
 * can never skip an event that committed late.
 */
export class SqlEventStore implements EventStore {
  private queue: PendingAppend[] = [];
  private flushing = false;
  private readonly appended = new Wakeup();
  private readonly pollIntervalMs: number;
  private readonly maxEventsPerCommit: number;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly dialect: SqlDialect,
    options: SqlEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxEventsPerCommit = options.maxEventsPerCommit ?? 5_000;
  }

  append(stream: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('Event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, events, expected, resolve, reject });
      void this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        await this.flush(batch);
        // Let the writers just woken by this commit enqueue their next appends, so that the next
        // commit carries all of them rather than only the first to arrive.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.flushing = false;
    }
  }

  private takeBatch(): PendingAppend[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || events + this.queue[n].events.length <= this.maxEventsPerCommit)) {
      events += this.queue[n].events.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async flush(batch: PendingAppend[]): Promise<void> {
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.dialect.appendBatch(
        this.db,
        batch.map((a) => ({ stream: a.stream, expected: a.expected, rows: a.events.map(toInsertRow) })),
      );
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Something in the batch broke the whole transaction (e.g. a duplicate event id):
      // write each append on its own so only the culprit fails.
      for (const append of batch) await this.flush([append]);
      return;
    }
    batch.forEach((append, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) append.resolve({ nextVersion: outcome.nextVersion, positions: outcome.positions });
      else append.reject(new WrongExpectedVersion(append.stream, append.expected, outcome.actual));
    });
    if (outcomes.some((o) => o.ok)) this.appended.notify();
  }

  async readStream(stream: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const { sql, params } = this.dialect.readStreamQuery(stream, fromVersion);
    return (await this.db.query<EventRowRaw>(sql, params)).map(toRecordedEvent);
  }

  async readAll(after: number, limit: number, filter: ReadAllFilter = {}): Promise<RecordedEvent[]> {
    const { sql, params } = this.dialect.readAllQuery(after, limit, filter);
    return (await this.db.query<EventRowRaw>(sql, params)).map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    const rows = await this.db.query<{ head: number | null }>('SELECT MAX(position) AS head FROM events');
    return Number(rows[0]?.head ?? 0);
  }

  subscribe(after: number, handler: SubscriptionHandler, options: { batchSize?: number } = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    let stopped = false;
    let checkpoint = after;
    const done = (async () => {
      while (!stopped && !this.closed) {
        const batch = await this.readAll(checkpoint, batchSize);
        if (batch.length === 0) {
          await this.appended.wait(this.pollIntervalMs);
          continue;
        }
        await handler(batch);
        checkpoint = batch[batch.length - 1].position;
      }
    })();
    return {
      done,
      stop: async () => {
        stopped = true;
        this.appended.notify();
        await done.catch(() => undefined);
      },
    };
  }

  ping(): Promise<boolean> {
    return this.db.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.appended.notify();
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
  }
}

function toInsertRow(event: NewEvent): InsertRow {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
    projectId: event.metadata.projectId,
  };
}
