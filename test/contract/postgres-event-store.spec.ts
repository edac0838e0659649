import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { createTestDatabase } from '../support/postgres';
import { describeWithPostgres } from '../support/services';
import { eventStoreContract } from './event-store.contract';

describeWithPostgres('EventStore contract: PostgreSQL', () => {
  eventStoreContract(async () => {
    const database = await createTestDatabase();
    return {
      open: async () => {
        const db = await Database.openPostgres(database.url, 10);
        await runMigrations(db);
        const store = createEventStore(db, { pollIntervalMs: 20 });
        return { store, close: async () => (await store.close(), await db.close()) };
      },
      destroy: database.drop,
    };
  });
});
