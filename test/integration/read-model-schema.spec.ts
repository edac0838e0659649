import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { CheckpointRow } from '../../src/infrastructure/projections/checkpoint.table';
import { createTestDatabase } from '../support/postgres';
import { describeWithPostgres } from '../support/services';

/**
 * Read-model tables are made from their declarations (the entities beside each projection), not
 * by migrations: kept as they are while the declarations stay the same, and dropped and made anew
 * (checkpoints included, so the projections rebuild them from the log) once they change; tables
 * of an earlier schema that nothing declares any more go too. The log itself is never touched.
 */
function readModelSchema(open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await open()));
  afterAll(() => close());

  const tables = async () =>
    (db.dialect === 'postgres'
      ? await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
      : await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1`)
    ).map((r) => r.name);
  const checkpoints = async () => (await db.table(CheckpointRow).find()).map((r) => `${r.name}@${r.position}`);
  const write = (sql: string, params: unknown[] = []) => db.transaction((tx) => tx.query(sql, params));

  it('makes every declared table, with its keys, uniques and indexes', async () => {
    await runMigrations(db);
    const names = await tables();
    for (const t of ['rm_checkpoints', 'rm_instances', 'rm_ports', 'rm_volumes', 'rm_snapshots', 'rm_hosts', 'rm_projects', 'events'])
      expect(names).toContain(t);
    // A declared unique constraint holds (two projects cannot share a name).
    const row = (id: string) => [id, 'same-name', '{}', '{}', 'now', 'now'];
    const insert = `INSERT INTO rm_projects (id, name, quotas, usage, created_at, updated_at) VALUES (${[1, 2, 3, 4, 5, 6].map((n) => db.param(n)).join(', ')})`;
    await write(insert, row('prj-1'));
    await expect(write(insert, row('prj-2'))).rejects.toThrow();
  });

  it('keeps the tables and their rows when the declarations did not change', async () => {
    await write(`INSERT INTO rm_checkpoints (name, position) VALUES ('instances', 42)`);
    await write(
      `INSERT INTO events (id, stream, version, type, schema_version, data, metadata) VALUES (${db.dialect === 'postgres' ? "'00000000-0000-4000-8000-000000000001'" : "'e1'"}, 's', 1, 'T', 1, '{}', '{"at":"2026-01-01T00:00:00.000Z"}')`,
    );
    expect(await runMigrations(db)).toEqual([]);
    expect(await checkpoints()).toEqual(['instances@42']);
  });

  it('drops and makes anew every read-model table when the declarations changed, and leaves the log alone', async () => {
    // As a database of an earlier version would be: another declaration's fingerprint, and a table nothing declares now.
    await write(`UPDATE schema_migrations SET id = 'read-models:0000000000000000' WHERE id LIKE 'read-models:%'`);
    await write(`CREATE TABLE rm_gone (id TEXT PRIMARY KEY)`);
    await runMigrations(db);
    const names = await tables();
    expect(names).not.toContain('rm_gone');
    expect(names).toContain('rm_instances');
    expect(await checkpoints()).toEqual([]); // the projections rebuild from position 0
    expect(Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM events'))[0].n)).toBe(1);
    const recorded = await db.query<{ id: string }>(`SELECT id FROM schema_migrations WHERE id LIKE 'read-models:%'`);
    expect(recorded).toHaveLength(2); // the new fingerprint beside the old one
  });
}

describe('Read-model schema from declarations: embedded (SQLite)', () => {
  readModelSchema(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-rm-schema-'));
    const db = await Database.openSqlite(dir);
    return { db, close: async () => (await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  });
});

describeWithPostgres('Read-model schema from declarations: PostgreSQL', () => {
  readModelSchema(async () => {
    const database = await createTestDatabase();
    const db = await Database.openPostgres(database.url, 4);
    return { db, close: async () => (await db.close(), await database.drop()) };
  });
});
