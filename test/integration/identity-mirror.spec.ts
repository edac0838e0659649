import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventRelay } from '../../src/application/integration/event-relay';
import { BusMessage } from '../../src/application/ports/integration-bus.port';
import { EventStore } from '../../src/application/ports/event-store.port';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { IdentityMirror } from '../../src/infrastructure/event-store/identity/identity-mirror';
import { seedIdentity } from '../../src/infrastructure/event-store/identity/seed-identity';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { InProcessBus } from '../../src/infrastructure/messaging/in-process-bus';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { SqlCheckpointStore } from '../../src/infrastructure/persistence/sql-checkpoint-store';
import { eventually } from '../support/eventually';
import { newEvent } from '../support/events';

const quiet = new JsonLogger('error');

async function openStore(dir: string, region: string): Promise<{ db: Database; store: EventStore }> {
  const db = await Database.openSqlite(dir);
  await runMigrations(db);
  return { db, store: createEventStore(db, { pollIntervalMs: 20, region }) };
}

/**
 * The shared identity's log copied into a region's log (embedded stores): several copiers at once
 * leave each stream exactly as the identity store holds it, and a region's relay publishes only what
 * its own region recorded.
 */
describe('Identity mirror and the relay of a region', () => {
  const dirs: string[] = [];
  const opened: Array<{ db: Database; store: EventStore }> = [];
  const open = async (region: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-mirror-'));
    dirs.push(dir);
    const s = await openStore(dir, region);
    opened.push(s);
    return s;
  };

  afterAll(async () => {
    for (const s of opened) await s.store.close().then(() => s.db.close());
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('copies every identity stream with its ids, versions and recording region, however many copiers run at once', async () => {
    const identity = await open('RegionOne');
    const region = await open('RegionTwo');
    const checkpoints = new SqlCheckpointStore(region.db);
    const copiers = [0, 1, 2].map(() => new IdentityMirror(identity.store, region.store, checkpoints, quiet, { pollIntervalMs: 20 }));
    // Appends and copies interleave: each round appends to a few streams, then all copiers race.
    for (let round = 0; round < 20; round++) {
      for (let s = 0; s < 5; s++)
        await identity.store.append(`user-u${s}`, [newEvent('UserPasswordChanged', { round }), newEvent('RoleAssigned', { round })], 'any');
      await Promise.all(copiers.map((c) => c.catchUp()));
    }
    for (let s = 0; s < 5; s++) {
      const source = await identity.store.readStream(`user-u${s}`);
      const copy = await region.store.readStream(`user-u${s}`);
      expect(copy.map((e) => [e.id, e.version, e.metadata.region])).toEqual(source.map((e) => [e.id, e.version, 'RegionOne']));
    }
    expect(await region.store.headPosition()).toBe(200);
  });

  it('follows the identity log in the background, and publishes only what its region recorded', async () => {
    const identity = await open('RegionOne');
    const region = await open('RegionTwo');
    const checkpoints = new SqlCheckpointStore(region.db);
    const mirror = new IdentityMirror(identity.store, region.store, checkpoints, quiet, { pollIntervalMs: 20 });
    await mirror.start();
    await identity.store.append('user-from-one', [newEvent('UserRegistered')], 'no_stream');
    await region.store.append('instance-here', [newEvent('InstanceRequested')], 'no_stream');
    await eventually(
      () => region.store.readStream('user-from-one'),
      (events) => events.length === 1,
      'the identity event copied',
    );
    await mirror.stop();

    const bus = new InProcessBus();
    const heard: BusMessage[] = [];
    await bus.subscribe('test', ['orch.identity.events', 'orch.compute.events'], async (messages) => void heard.push(...messages));
    const relay = new EventRelay(region.store, bus, checkpoints, { topicPrefix: 'orch', name: 'relay', batchSize: 10, region: 'RegionTwo' }, quiet);
    await relay.start();
    await eventually(
      async () => heard.length,
      (n) => n >= 1,
      'the relay to publish',
    );
    await new Promise((r) => setTimeout(r, 200)); // anything else it would publish has had time to arrive
    await relay.stop();
    expect(heard.map((m) => JSON.parse(m.value).stream)).toEqual(['instance-here']);
  });

  it('seeds an empty shared identity with the identity a region kept before, and then finds nothing to copy', async () => {
    const region = await open('RegionOne');
    const identity = await open('RegionOne');
    await region.store.append('project-p1', [newEvent('ProjectCreated'), newEvent('QuotaReserved')], 'no_stream');
    await region.store.append('instance-i1', [newEvent('InstanceRequested')], 'no_stream');
    await region.store.append('user-u1', [newEvent('UserRegistered')], 'no_stream');
    await region.store.append('project-p1', [newEvent('ProjectQuotasUpdated')], 2);
    expect(await seedIdentity(region.store, identity.store)).toBe(4);
    expect(await seedIdentity(region.store, identity.store)).toBe(0); // not empty any more
    const ids = async (store: EventStore, stream: string) => (await store.readStream(stream)).map((e) => [e.id, e.version]);
    expect(await ids(identity.store, 'project-p1')).toEqual(await ids(region.store, 'project-p1'));
    expect(await identity.store.readStream('instance-i1')).toEqual([]);
    const head = await region.store.headPosition();
    await new IdentityMirror(identity.store, region.store, new SqlCheckpointStore(region.db), quiet, { pollIntervalMs: 20 }).catchUp();
    expect(await region.store.headPosition()).toBe(head);
  });

  it('refuses to copy over identity this region recorded on its own', async () => {
    const region = await open('RegionTwo');
    const identity = await open('RegionOne');
    await identity.store.append('user-u1', [newEvent('UserRegistered')], 'no_stream');
    await region.store.append('user-u1', [newEvent('UserRegistered')], 'no_stream');
    const mirror = new IdentityMirror(identity.store, region.store, new SqlCheckpointStore(region.db), quiet, { pollIntervalMs: 20 });
    await expect(mirror.catchUp()).rejects.toThrow(/user-u1 version 1 here is not the shared identity's event/);
  });
});
