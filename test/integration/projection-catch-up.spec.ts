import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStore } from '../../src/application/ports/event-store.port';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { NetworkRow } from '../../src/infrastructure/read-models/network/network.tables';
import { networkProjection } from '../../src/infrastructure/read-models/network/network.projection';
import { Projection } from '../../src/infrastructure/projections/projection';
import { CatchUpLimits, ProjectionRunner } from '../../src/infrastructure/projections/projection-runner';
import { newEvent } from '../support/events';

const quiet = { error: () => undefined };
const at = '2026-11-23T00:00:00.000Z';
const metadata = { principal: 'test', projectId: 'prj-1', requestId: null, correlationId: 'c', causationId: null, at };

/**
 * A catch-up (replay) keeps rows in memory across batches, writes them behind, and lets go of them
 * past a limit; whatever the limits, the tables must end up as a plain fold of the log says, and
 * as the projection following the log batch by batch makes them.
 */
describe('Projection catch-up with rows held across batches (embedded store)', () => {
  let dir: string;
  let live: Database;
  let store: EventStore;
  const expected = new Map<string, { name: string; usedIps: number }>();

  const append = (networkId: string, type: string, data: object) =>
    store.append(`network-${networkId}`, [{ id: randomUUID(), type, schemaVersion: 1, data: { networkId, at, ...data }, metadata }], 'any');
  const create = async (networkId: string, name: string) => {
    await append(networkId, 'NetworkCreated', { projectId: 'prj-1', name, cidr: '10.0.0.0/24', gateway: '10.0.0.1', vlan: 100 });
    expected.set(networkId, { name, usedIps: 0 });
  };
  const allocate = async (networkId: string, delta: 1 | -1) => {
    await append(networkId, delta === 1 ? 'IpAllocated' : 'IpReleased', { ip: '10.0.0.5', portId: 'port-1' });
    const network = expected.get(networkId);
    if (network) network.usedIps += delta;
  };
  const remove = async (networkId: string) => {
    await append(networkId, 'NetworkDeleted', { projectId: 'prj-1', vlan: 100 });
    expected.delete(networkId);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-catch-up-'));
    live = await Database.openSqlite(path.join(dir, 'live'));
    await runMigrations(live);
    store = createEventStore(live, { pollIntervalMs: 20 });
    // Rows created early and changed late (after their first write, and after being let go), a
    // name freed by a delete and taken again, rows deleted after being written.
    for (let i = 0; i < 12; i++) await create(`net-${i}`, `n${i}`);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 12; i++) await allocate(`net-${i}`, 1);
    await remove('net-3');
    await create('net-3b', 'n3');
    for (let i = 0; i < 12; i += 2) await allocate(`net-${i}`, -1);
    await remove('net-5');
    await allocate('net-5', 1); // after its deletion: changes nothing
    await create('net-5b', 'n5');
    await remove('net-5b');
    await create('net-5c', 'n5');
    await allocate('net-3b', 1);
    await allocate('net-11', 1);
  });

  afterAll(async () => {
    await store?.close();
    await live?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rowsOf = async (db: Database) =>
    new Map((await db.table(NetworkRow).find()).map((r): [string, { name: string; usedIps: number }] => [r.id, { name: r.name, usedIps: r.usedIps }]));

  const caughtUp = async (name: string, batchSize: number, limits?: CatchUpLimits) => {
    const db = await Database.openSqlite(path.join(dir, name), { scratch: true });
    await runMigrations(db);
    const read = await new ProjectionRunner(db, store, [networkProjection], quiet, batchSize, limits).catchUp();
    return { db, read };
  };

  it.each([
    ['one write at the end', 500, undefined],
    ['a write every 7 events, rows let go past 3', 4, { writeEvery: 7, maxHeldRows: 3 }],
    ['a write after every batch, every row let go', 1, { writeEvery: 1, maxHeldRows: 0 }],
  ])('%s: the table is the fold of the log', async (name, batchSize, limits) => {
    const { db, read } = await caughtUp(name.replace(/\W+/g, '-'), batchSize, limits);
    try {
      expect(read).toBe(await store.headPosition());
      expect(await rowsOf(db)).toEqual(expected);
      const checkpoint = await db.query<{ position: number }>(`SELECT position FROM rm_checkpoints WHERE name = 'network'`);
      expect(Number(checkpoint[0].position)).toBe(await store.headPosition());
    } finally {
      await db.close();
    }
  });

  it('equals the projection that followed the log batch by batch', async () => {
    const db = await Database.openSqlite(path.join(dir, 'followed'), { scratch: true });
    await runMigrations(db);
    const runner = new ProjectionRunner(db, store, [networkProjection], quiet, 3);
    try {
      await runner.start();
      expect(await runner.waitFor(await store.headPosition())).toBe(true);
      expect(await rowsOf(db)).toEqual(expected);
    } finally {
      await runner.stop();
      await db.close();
    }
  });

  it('a catch-up resumes from its checkpoint: nothing applied twice', async () => {
    const { db } = await caughtUp('resumed', 5, { writeEvery: 10, maxHeldRows: 2 });
    try {
      await allocate('net-0', 1);
      const again = await new ProjectionRunner(db, store, [networkProjection], quiet, 5).catchUp();
      expect(again).toBe(1);
      expect(await rowsOf(db)).toEqual(expected);
    } finally {
      await db.close();
    }
  });

  it('hands a projection only the types it reads, catching up or following, and moves its checkpoint past the others', async () => {
    const handed: string[] = [];
    const spy: Projection = {
      ...networkProjection,
      apply: async (events, folds) => {
        handed.push(...events.map((e) => e.type));
        await networkProjection.apply(events, folds);
      },
    };
    await store.append('noise-1', [newEvent('NetworkNoise'), newEvent('Unrelated')], 'any');
    const head = await store.headPosition();
    const db = await Database.openSqlite(path.join(dir, 'spied'), { scratch: true });
    await runMigrations(db);
    try {
      const read = await new ProjectionRunner(db, store, [spy], quiet, 4).catchUp();
      expect(read).toBe(head - 2);
      expect([...new Set(handed)].sort()).toEqual(['IpAllocated', 'IpReleased', 'NetworkCreated', 'NetworkDeleted']);
      const checkpoint = await db.query<{ position: number }>(`SELECT position FROM rm_checkpoints WHERE name = 'network'`);
      expect(Number(checkpoint[0].position)).toBe(head);
      expect(await rowsOf(db)).toEqual(expected);
    } finally {
      await db.close();
    }

    handed.length = 0;
    const followed = await Database.openSqlite(path.join(dir, 'spied-following'), { scratch: true });
    await runMigrations(followed);
    const runner = new ProjectionRunner(followed, store, [spy], quiet, 3);
    try {
      await runner.start();
      expect(await runner.waitFor(head)).toBe(true);
      expect(handed).not.toContain('NetworkNoise');
      expect(handed).not.toContain('Unrelated');
      expect(handed.length).toBe(head - 2);
    } finally {
      await runner.stop();
      await followed.close();
    }
  });
});
