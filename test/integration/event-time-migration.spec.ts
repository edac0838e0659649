import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStore } from '../../src/application/ports/event-store.port';
import { ChainVerifier } from '../../src/infrastructure/event-store/sql/chain-verifier';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { newEvent } from '../support/events';
import { createTestDatabase } from '../support/postgres';
import { describeWithPostgres } from '../support/services';

/**
 * Migration 014 gives the log its events' time as a column the database keeps from the metadata.
 * A log written before it must come through whole: same events, same positions and hashes, the
 * time of each in the column, positions going on after the last, the column refusing writes.
 */
function eventTimeMigration(open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  let db: Database;
  let close: () => Promise<void>;
  let store: EventStore;

  beforeAll(async () => {
    ({ db, close } = await open());
    expect(await runMigrations(db, '013-relay-and-billing')).toContain('013-relay-and-billing');
    store = createEventStore(db);
    for (let i = 0; i < 5; i++) await store.append(`stream-${i % 2}`, [newEvent('Before', { i }, 'prj-1'), newEvent('Before', { i, second: true })], 'any');
  });
  afterAll(async () => {
    await store?.close();
    await close();
  });

  it('keeps every event, position and hash, fills the time column, and positions go on', async () => {
    const before = await store.readAll(0, 100);
    const hashes = await db.query<{ position: number | string; hash: string }>('SELECT position, hash FROM events ORDER BY position');

    expect(await runMigrations(db, '014-event-time-column')).toEqual(['014-event-time-column']);
    expect(await store.readAll(0, 100)).toEqual(before);
    expect(await db.query('SELECT position, hash FROM events ORDER BY position')).toEqual(hashes);
    const times = await db.query<{ at: string }>('SELECT at FROM events ORDER BY position');
    expect(times.map((r) => r.at)).toEqual(before.map((e) => e.metadata.at));
    expect((await new ChainVerifier(db).verify()).ok).toBe(true);

    const [after] = (await store.append('stream-after', [newEvent('After')], 'no_stream')).positions;
    expect(after).toBe(before[before.length - 1].position + 1);
    const [core] = await store.readCores(after - 1, after, 10, { types: ['After'], prefixes: [] });
    expect(core.metadata.at).toBe((await store.readStream('stream-after'))[0].metadata.at);
    expect((await store.readAll(0, 100, { types: ['Before'], from: before[3].metadata.at })).map((e) => e.position)).toEqual(
      before.filter((e) => e.metadata.at >= before[3].metadata.at).map((e) => e.position),
    );
  });

  it('keeps the log’s indexes and refuses a time written apart from the metadata', async () => {
    const indexes =
      db.dialect === 'postgres'
        ? await db.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'events'`)
        : await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`);
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['events_project_position', 'events_type_position']));
    await expect(db.transaction((tx) => tx.query(`UPDATE events SET at = 'tampered' WHERE position = 1`))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/generated column|can only be updated to DEFAULT/i),
    );
    expect((await db.query<{ at: string }>('SELECT at FROM events WHERE position = 1'))[0].at).toBe((await store.readAll(0, 1))[0].metadata.at);
  });
}

describe('Event time column migration: embedded (SQLite)', () => {
  eventTimeMigration(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-event-time-'));
    const db = await Database.openSqlite(dir);
    return { db, close: async () => (await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  });
});

describeWithPostgres('Event time column migration: PostgreSQL', () => {
  eventTimeMigration(async () => {
    const database = await createTestDatabase();
    const db = await Database.openPostgres(database.url, 4);
    return { db, close: async () => (await db.close(), await database.drop()) };
  });
});
