import { EventStore } from '../../application/ports/event-store.port';
import { Database } from '../persistence/database';
import { postgresDialect } from './sql/postgres.dialect';
import { SqlEventStore, SqlEventStoreOptions } from './sql/sql-event-store';
import { sqliteDialect } from './sql/sqlite.dialect';

/** The event store for a database: the embedded store on SQLite, the PostgreSQL store on PostgreSQL. */
export function createEventStore(db: Database, options: SqlEventStoreOptions = {}): EventStore {
  return new SqlEventStore(db, db.dialect === 'postgres' ? postgresDialect : sqliteDialect, options);
}
