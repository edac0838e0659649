import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src/infrastructure/persistence/database';
import { runMigrations } from '../../src/infrastructure/persistence/migrations';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { eventStoreContract } from './event-store.contract';

describe('EventStore contract: embedded (SQLite)', () => {
  eventStoreContract(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-store-'));
    return {
      open: async () => {
        const db = await Database.openSqlite(dir);
        await runMigrations(db);
        const store = createEventStore(db, { pollIntervalMs: 20 });
        return { store, close: async () => (await store.close(), await db.close()) };
      },
      destroy: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  });
});
