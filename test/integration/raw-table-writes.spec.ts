import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { InstanceRow } from '../../src/infrastructure/read-models/compute/instance.tables';
import { createTestDatabase } from '../support/postgres';
import { describeWithPostgres } from '../support/services';

const instance = (id: string, overrides: Partial<InstanceRow> = {}): InstanceRow => ({
  id,
  projectId: 'prj-1',
  name: `vm "${id}" é`,
  flavor: { id: 'flv-1', vcpus: 2, ramMiB: 512, diskGiB: 1 },
  imageId: 'img-1',
  vmState: 'active',
  taskState: null,
  powerState: 'running',
  hostId: 'host-1',
  addresses: [{ network: 'net-1', ip: '10.0.0.5', mac: 'fa:16:3e:00:00:01', portId: 'port-1' }],
  networks: ['net-1'],
  keyName: null,
  securityGroups: [],
  zone: null,
  metadata: {},
  tags: [],
  volumes: [],
  failure: null,
  operationId: 'op-1',
  released: 1,
  retrying: null,
  createdAt: '2026-11-24T00:00:00.000Z',
  updatedAt: '2026-11-24T00:00:00.000Z',
  ...overrides,
});

/**
 * Read-model writes as projections make them (RawTable.upsert, deleteKeys): PostgreSQL takes the
 * entities as one JSON document, SQLite one prepared statement per row (Tx.runEach). Either way a
 * row reads back as written, JSON columns hold the text JSON.stringify makes, and a failed
 * transaction leaves nothing.
 */
function rawTableWrites(open: () => Promise<{ db: Database; close(): Promise<void> }>) {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => ({ db, close } = await open()));
  afterAll(() => close());

  it('inserts, replaces and deletes rows, JSON columns stored as JSON.stringify writes them', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => instance(`ins-${i}`, { released: i % 2 }));
    await db.transaction((tx) => tx.table(InstanceRow).upsert(rows, tx));
    const changed = instance('ins-7', { vmState: 'error', failure: 'no host', hostId: null, addresses: [], volumes: ['vol-1'] });
    await db.transaction(async (tx) => {
      await tx.table(InstanceRow).upsert([changed], tx);
      await tx.table(InstanceRow).deleteKeys(['ins-8'], tx);
    });

    const read = await db.table(InstanceRow).byKeys(['ins-0', 'ins-7', 'ins-8', 'ins-249']);
    expect(read.sort((a, b) => a.id.localeCompare(b.id))).toEqual([rows[0], rows[249], changed]);
    const stored = await db.query<{ flavor: string; addresses: string; volumes: string }>(
      `SELECT flavor, addresses, volumes FROM rm_instances WHERE id = ${db.param(1)}`,
      ['ins-7'],
    );
    expect(stored).toEqual([{ flavor: JSON.stringify(changed.flavor), addresses: '[]', volumes: '["vol-1"]' }]);
    expect(await db.query(`SELECT id FROM rm_instances`)).toHaveLength(249);
  });

  it('runs a statement once per parameter list inside the transaction, and rolls it all back on failure', async () => {
    const insert = `INSERT INTO rm_checkpoints (name, position) VALUES (${db.param(1)}, ${db.param(2)})`;
    await db.transaction((tx) =>
      tx.runEach(insert, [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]),
    );
    // The message, not toThrow: better-sqlite3's native addon, loaded once per jest worker, throws
    // errors made in the first test file's context, which are no Error of a later file's.
    await expect(
      db.transaction((tx) =>
        tx.runEach(insert, [
          ['d', 4],
          ['a', 5],
        ]),
      ),
    ).rejects.toHaveProperty('message', expect.stringMatching(/unique constraint|duplicate key/i));
    expect(await db.query(`SELECT name, position FROM rm_checkpoints ORDER BY name`)).toEqual([
      { name: 'a', position: 1 },
      { name: 'b', position: 2 },
      { name: 'c', position: 3 },
    ]);
  });
}

describe('Read-model table writes: embedded (SQLite)', () => {
  rawTableWrites(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-raw-table-'));
    const db = await Database.openSqlite(dir);
    await runMigrations(db);
    return { db, close: async () => (await db.close(), fs.rmSync(dir, { recursive: true, force: true })) };
  });
});

describeWithPostgres('Read-model table writes: PostgreSQL', () => {
  rawTableWrites(async () => {
    const database = await createTestDatabase();
    const db = await Database.openPostgres(database.url, 4);
    await runMigrations(db);
    return { db, close: async () => (await db.close(), await database.drop()) };
  });
});
