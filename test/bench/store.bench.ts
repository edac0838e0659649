/**
 * npm run bench:store: throughput of each event-store adapter beside the raw floor (the same rows
 * written/read with plain SQL through the same driver), and the ratio store/raw.
 *   single: appends/s, one event each, 16 concurrent writers on distinct streams; two raw floors:
 *           one commit per row, and the fair one for the store's group commit: the same rows with
 *           one commit per round of the 16 writers (one multi-row INSERT)
 *   batch:  events/s, appends of 100 events, 4 concurrent writers
 *   replay: events/s, readAll in pages of 1,000 over >= 200,000 events
 * A benchmark, not a test: it prints figures and checks nothing.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStore, NewEvent } from '../../src/application/ports/event-store.port';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { createTestDatabase, postgresReachable } from '../support/postgres';

const WRITERS = 16;
const BATCH_WRITERS = 4;
const BATCH = 100;
const REPLAY_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 200_000);
const PAGE = 1000;

type Figures = {
  adapter: string;
  singleStore: number;
  singleRaw: number;
  singleRawGrouped: number;
  batchStore: number;
  batchRaw: number;
  replayStore: number;
  replayRaw: number;
  replayed: number;
};

const event = (i: number): NewEvent => ({
  id: randomUUID(),
  type: 'BenchmarkEventHappened',
  schemaVersion: 1,
  data: { i, host: 'host-0001', vcpus: 4, ramMiB: 8192, note: 'a payload of a realistic size for a lifecycle event' },
  metadata: { principal: 'usr-bench', projectId: 'prj-bench', requestId: null, correlationId: 'bench', causationId: null, at: new Date().toISOString() },
});

const rowParams = (stream: string, version: number, e: NewEvent) => [
  e.id,
  stream,
  version,
  e.type,
  e.schemaVersion,
  JSON.stringify(e.data),
  JSON.stringify(e.metadata),
  e.metadata.projectId,
];

function insertSql(db: Database, rows: number): string {
  let n = 0;
  const values = Array.from({ length: rows }, () => `(${Array.from({ length: 8 }, () => db.param(++n)).join(', ')})`);
  return `INSERT INTO raw_events (id, stream, version, type, schema_version, data, metadata, project_id) VALUES ${values.join(', ')}`;
}

async function createRawTable(db: Database): Promise<void> {
  if (db.dialect === 'postgres') {
    // Same columns, constraints and indexes, but its own position sequence.
    await db.writer.query('CREATE TABLE raw_events (LIKE events INCLUDING CONSTRAINTS INCLUDING INDEXES)');
    await db.writer.query('CREATE SEQUENCE raw_events_position OWNED BY raw_events.position');
    await db.writer.query("ALTER TABLE raw_events ALTER COLUMN position SET DEFAULT nextval('raw_events_position')");
  } else {
    await db.writer.query(`CREATE TABLE raw_events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
      version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, project_id TEXT NULL,
      UNIQUE (stream, version))`);
    await db.writer.query('CREATE INDEX raw_project ON raw_events (project_id, position)');
    await db.writer.query('CREATE INDEX raw_type ON raw_events (type, position)');
  }
}

async function timed(fn: () => Promise<number>): Promise<number> {
  const started = process.hrtime.bigint();
  const count = await fn();
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

const parallel = (n: number, fn: (w: number) => Promise<void>) => Promise.all(Array.from({ length: n }, (_, w) => fn(w)));

async function benchAdapter(adapter: string, db: Database, store: EventStore, singlePerWriter: number, batchesPerWriter: number): Promise<Figures> {
  await createRawTable(db);
  const tag = randomUUID().slice(0, 8);

  const singleStore = await timed(async () => {
    await parallel(WRITERS, async (w) => {
      for (let i = 0; i < singlePerWriter; i++) await store.append(`single-${tag}-${w}`, [event(i)], i === 0 ? 'no_stream' : i);
    });
    return WRITERS * singlePerWriter;
  });
  const singleRaw = await timed(async () => {
    const sql = insertSql(db, 1);
    await parallel(WRITERS, async (w) => {
      for (let i = 0; i < singlePerWriter; i++) await db.writer.query(sql, rowParams(`single-${tag}-${w}`, i + 1, event(i)));
    });
    return WRITERS * singlePerWriter;
  });

  // The fair floor for group commit: the same rows, one commit per round holding each writer's row of that round.
  const singleRawGrouped = await timed(async () => {
    const sql = insertSql(db, WRITERS);
    for (let i = 0; i < singlePerWriter; i++) {
      const params = Array.from({ length: WRITERS }, (_, w) => rowParams(`grouped-${tag}-${w}`, i + 1, event(i))).flat();
      await db.writer.query(sql, params);
    }
    return WRITERS * singlePerWriter;
  });

  const batchStore = await timed(async () => {
    await parallel(BATCH_WRITERS, async (w) => {
      for (let b = 0; b < batchesPerWriter; b++) {
        await store.append(
          `batch-${tag}-${w}`,
          Array.from({ length: BATCH }, (_, i) => event(i)),
          b === 0 ? 'no_stream' : b * BATCH,
        );
      }
    });
    return BATCH_WRITERS * batchesPerWriter * BATCH;
  });
  const batchRaw = await timed(async () => {
    const sql = insertSql(db, BATCH);
    await parallel(BATCH_WRITERS, async (w) => {
      for (let b = 0; b < batchesPerWriter; b++) {
        const params = Array.from({ length: BATCH }, (_, i) => rowParams(`batch-${tag}-${w}`, b * BATCH + i + 1, event(i))).flat();
        await db.writer.query(sql, params);
      }
    });
    return BATCH_WRITERS * batchesPerWriter * BATCH;
  });

  // Top the log up to REPLAY_EVENTS, then read it all, through the store and raw.
  const [{ count }] = await db.reader.query('SELECT COUNT(*) AS count FROM events');
  for (let filled = Number(count), b = 0; filled < REPLAY_EVENTS; filled += PAGE, b++) {
    await store.append(
      `fill-${tag}-${b}`,
      Array.from({ length: PAGE }, (_, i) => event(i)),
      'no_stream',
    );
  }
  let replayed = 0;
  const replayStore = await timed(async () => {
    let after = 0;
    for (;;) {
      const page = await store.readAll(after, PAGE);
      if (page.length === 0) break;
      replayed += page.length;
      after = page[page.length - 1].position;
    }
    return replayed;
  });
  const replayRaw = await timed(async () => {
    let after = 0;
    let count = 0;
    const sql = `SELECT position, id, stream, version, type, schema_version, data, metadata FROM events WHERE position > ${db.param(1)} ORDER BY position LIMIT ${PAGE}`;
    for (;;) {
      const rows = await db.reader.query(sql, [after]);
      if (rows.length === 0) break;
      count += rows.length;
      after = Number(rows[rows.length - 1].position);
    }
    return count;
  });
  return { adapter, singleStore, singleRaw, singleRawGrouped, batchStore, batchRaw, replayStore, replayRaw, replayed };
}

function print(f: Figures): void {
  const row = (what: string, store: number, raw: number, unit: string) =>
    `  ${what.padEnd(34)} store ${Math.round(store).toString().padStart(8)} ${unit}   raw ${Math.round(raw).toString().padStart(8)} ${unit}   ratio ${(store / raw).toFixed(2)}`;
  process.stdout.write(`\n${f.adapter}\n`);
  process.stdout.write(`${row(`single appends (${WRITERS} writers)`, f.singleStore, f.singleRaw, 'appends/s')}   (raw: one commit per row)\n`);
  process.stdout.write(`${row(`single appends (${WRITERS} writers)`, f.singleStore, f.singleRawGrouped, 'appends/s')}   (raw: ${WRITERS} rows per commit)\n`);
  process.stdout.write(`${row(`batch appends (${BATCH}/append, ${BATCH_WRITERS} writers)`, f.batchStore, f.batchRaw, 'events/s ')}\n`);
  process.stdout.write(`${row(`readAll replay (${f.replayed} events)`, f.replayStore, f.replayRaw, 'events/s ')}\n`);
}

/** Opens a fresh store of one adapter, benchmarks it, closes and removes it. */
async function measure(adapter: string, open: () => Promise<{ db: Database; cleanup(): Promise<void> }>, single: number, batches: number): Promise<Figures> {
  const { db, cleanup } = await open();
  try {
    await runMigrations(db);
    const store = createEventStore(db);
    const figures = await benchAdapter(adapter, db, store, single, batches);
    print(figures);
    await store.close();
    return figures;
  } finally {
    await db.close();
    await cleanup();
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  results.push(
    await measure(
      'embedded (SQLite, synchronous=FULL)',
      async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-'));
        return { db: await Database.openSqlite(dir), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
      },
      150,
      50,
    ),
  );
  if (await postgresReachable()) {
    results.push(
      await measure(
        'PostgreSQL',
        async () => {
          const database = await createTestDatabase('orch_bench');
          return { db: await Database.openPostgres(database.url, 20), cleanup: database.drop };
        },
        400,
        100,
      ),
    );
  } else {
    process.stdout.write('\nPostgreSQL: not reachable, not measured\n');
  }
  const rounded = results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v])));
  process.stdout.write(`\n${JSON.stringify({ benchmark: 'store', results: rounded })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
