import { Config } from '../config/config';
import { Database } from './database';
import { runMigrations } from './migrations';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: Pick<Config, 'store' | 'dataDir' | 'databaseUrl' | 'pgPoolSize'>): Promise<Database> {
  const db = config.store === 'postgres' ? await Database.openPostgres(config.databaseUrl, config.pgPoolSize) : await Database.openSqlite(config.dataDir);
  await runMigrations(db);
  return db;
}
