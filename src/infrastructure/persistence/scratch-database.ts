import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Config } from '../config/config';
import { Database } from './database';
import { runMigrations } from './migrations';

export type ScratchDatabase = { readonly db: Database; readonly where: string; discard(): Promise<void> };

/**
 * A fresh, empty copy of the schema beside the live one, for rebuilding read models without
 * touching the live tables: on PostgreSQL a schema of its own in the same database (unlogged
 * tables), embedded a SQLite file in a temporary directory (no fsync). `discard` drops it.
 */
export async function openScratchDatabase(config: Pick<Config, 'store' | 'databaseUrl'>, live: Database): Promise<ScratchDatabase> {
  if (config.store === 'postgres') {
    const schema = `orch_replay_${process.pid}_${Date.now()}`;
    await live.writer.query(`CREATE SCHEMA ${schema}`);
    const db = await Database.openPostgres(config.databaseUrl, 8, { schema });
    await runMigrations(db);
    // Throwaway tables need no crash safety: unlogged, they skip the write-ahead log.
    await db.writer.query(
      `DO $$ DECLARE t record; BEGIN
         FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
           EXECUTE format('ALTER TABLE %I SET UNLOGGED', t.tablename);
         END LOOP;
       END $$`,
    );
    return {
      db,
      where: `schema ${schema}`,
      discard: async () => {
        await db.close();
        await live.writer.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-replay-'));
  const db = await Database.openSqlite(dir, { scratch: true });
  await runMigrations(db);
  return {
    db,
    where: dir,
    discard: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
