import { EventStore, WrongExpectedVersion } from '../../src/application/ports/event-store.port';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { newEvent } from '../support/events';
import { createTestDatabase } from '../support/postgres';
import { describeWithPostgres } from '../support/services';

const ROUNDS = 50;

/**
 * Two event stores on one PostgreSQL database, each with its own connection pool, as two
 * orchestrator processes have: both append to one stream at the same expected version, round after
 * round. Exactly one of them wins each round; the other is told its expected version was wrong,
 * and the stream holds one event per round, in order.
 */
describeWithPostgres('Appends from two store instances at one expected version (PostgreSQL)', () => {
  let drop: () => Promise<void>;
  const stores: EventStore[] = [];
  const dbs: Database[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase('orch_race');
    drop = database.drop;
    for (let i = 0; i < 2; i++) {
      const db = await Database.openPostgres(database.url, 4);
      if (i === 0) await runMigrations(db);
      dbs.push(db);
      stores.push(createEventStore(db, { pollIntervalMs: 20 }));
    }
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const db of dbs) await db.close();
    await drop();
  });

  it(`lets exactly one of them win each of ${ROUNDS} rounds`, async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const expected = round === 0 ? ('no_stream' as const) : round;
      const results = await Promise.allSettled(stores.map((store, i) => store.append('race-stream', [newEvent('Raced', { round, by: i })], expected)));
      const won = results.filter((r) => r.status === 'fulfilled').length;
      const lost = results.filter((r) => r.status === 'rejected' && r.reason instanceof WrongExpectedVersion).length;
      outcomes.push(`${won}/${lost}`);
    }
    expect(outcomes).toEqual(Array(ROUNDS).fill('1/1'));
    const stream = await stores[1].readStream('race-stream');
    expect(stream.map((e) => (e.data as { round: number }).round)).toEqual([...Array(ROUNDS).keys()]);
    expect(stream.map((e) => e.version)).toEqual([...Array(ROUNDS).keys()].map((i) => i + 1));
  });
});
