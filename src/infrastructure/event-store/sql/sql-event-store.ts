import {
  AppendResult,
  EventCore,
  EventStore,
  EventTypes,
  ExpectedVersion,
  NewEvent,
  ReadAllFilter,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  WrongExpectedVersion,
} from '../../../application/ports/event-store.port';
import { Database } from '../../persistence/database';
import { EVENT_SCHEMAS } from '../../../domain/event-schemas';
import { EventCoreRow, EventRowRaw, toEventCore, toRecordedEvent } from './event-rows';
import { LogTail } from './log-tail';
import { AppendOutcome, AppendRequest, InsertRow, SqlDialect } from './sql-dialect';
import { Wakeup } from './wakeup';
import { sleep } from '../../../application/shared/sleep';

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
  /** Stamped on the metadata of every event appended that has none yet (ORCH_REGION): events carry their region. */
  region?: string;
  /** Announces other processes' commits (PostgreSQL NOTIFY): followers wake at once rather than at their next poll. */
  commits?: { on(channel: 'orch_log', listener: (position: string) => void): () => void };
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
  /** The recent log, shared by this process's followers (see LogTail). */
  private readonly tail = new LogTail((after, limit) => this.readAll(after, limit));
  private followers = 0;
  private poller: NodeJS.Timeout | null = null;
  private readonly region: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly dialect: SqlDialect,
    options: SqlEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.region = options.region;
    this.maxEventsPerCommit = options.maxEventsPerCommit ?? 5_000;
    options.commits?.on('orch_log', (payload) => {
      // Empty after a reconnect of the listener: anything may have been committed meanwhile.
      if (payload === '') this.tail.markStale();
      else this.tail.noteCommitted(Number(payload));
      this.appended.notify();
    });
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
    const requests = batch.map((a) => ({ stream: a.stream, expected: a.expected, rows: a.events.map((e) => toInsertRow(e, this.region)) }));
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.dialect.appendBatch(this.db, requests);
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
    if (!outcomes.some((o) => o.ok)) return;
    if (this.tail.following) this.tail.offer(committedEvents(requests, outcomes, this.dialect));
    this.appended.notify();
  }

  async readStream(stream: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const { sql, params } = this.dialect.readStreamQuery(stream, fromVersion);
    return (await this.db.query<EventRowRaw>(sql, params)).map(toRecordedEvent);
  }

  async readAll(after: number, limit: number, filter: ReadAllFilter = {}): Promise<RecordedEvent[]> {
    const { sql, params } = this.dialect.readAllQuery(after, limit, filter);
    return (await this.db.query<EventRowRaw>(sql, params)).map(toRecordedEvent);
  }

  async readCores(after: number, through: number, limit: number, types?: EventTypes): Promise<EventCore[]> {
    const { sql, params } = this.dialect.readCoresQuery(after, through, limit, types);
    return (await this.db.query<EventCoreRow>(sql, params)).map(toEventCore);
  }

  async headPosition(): Promise<number> {
    const rows = await this.db.query<{ head: number | null }>('SELECT MAX(position) AS head FROM events');
    return Number(rows[0]?.head ?? 0);
  }

  /**
   * Followers read through the shared tail: this process's commits reach them from memory, and
   * one poll timer for all of them (not one each) looks for other processes' events.
   */
  subscribe(after: number, handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    const gatherMs = options.gatherMs ?? 0;
    let stopped = false;
    let checkpoint = after;
    this.followers++;
    this.poller ??= setInterval(() => {
      this.tail.markStale();
      this.appended.notify();
    }, this.pollIntervalMs).unref();
    // A read that fails (the database unreachable) is tried again, waiting longer each time up to 5 s:
    // an outage pauses followers, it does not end them. Only the handler's own failure ends one.
    const read = async (): Promise<RecordedEvent[]> => {
      for (let wait = this.pollIntervalMs; ; wait = Math.min(wait * 2, 5_000)) {
        try {
          return await this.tail.read(checkpoint, batchSize);
        } catch (error) {
          if (stopped || this.closed) throw error;
          await sleep(wait);
        }
      }
    };
    const done = (async () => {
      try {
        while (!stopped && !this.closed) {
          let batch = await read();
          if (batch.length === 0) {
            await this.appended.wait(this.pollIntervalMs * 2);
            continue;
          }
          if (batch.length < batchSize && gatherMs > 0) {
            await sleep(gatherMs);
            batch = await read();
          }
          await handler(batch);
          checkpoint = batch[batch.length - 1].position;
        }
      } finally {
        if (--this.followers === 0 && this.poller) {
          clearInterval(this.poller);
          this.poller = null;
        }
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
    while (this.flushing) await sleep(5);
  }
}

function toInsertRow(event: NewEvent, region: string | undefined): InsertRow {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: JSON.stringify(event.data),
    // A copy from another store (the shared identity's) keeps the region that recorded it.
    metadata: JSON.stringify(region === undefined || event.metadata.region ? event.metadata : { ...event.metadata, region }),
    projectId: event.metadata.projectId,
  };
}

/** The events of a group commit as the log now holds them, in position order (JSON parsed afresh, as a read would give it). */
function committedEvents(requests: readonly AppendRequest[], outcomes: readonly AppendOutcome[], dialect: SqlDialect): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  requests.forEach((request, i) => {
    const outcome = outcomes[i];
    if (!outcome.ok) return;
    const firstVersion = outcome.nextVersion - request.rows.length + 1;
    request.rows.forEach((row, j) =>
      events.push({
        position: outcome.positions[j],
        id: row.id,
        stream: request.stream,
        version: firstVersion + j,
        type: row.type,
        schemaVersion: EVENT_SCHEMAS.currentVersion(row.type),
        data: EVENT_SCHEMAS.upcast(row.type, row.schemaVersion, dialect.parseStored(row.data)),
        metadata: dialect.parseStored(row.metadata) as RecordedEvent['metadata'],
      }),
    );
  });
  return events.sort((a, b) => a.position - b.position);
}
