import * as fs from 'node:fs';
import * as path from 'node:path';
import { types as pgTypes } from 'pg';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { Mutex } from '../../application/shared/mutex';
import { RawTable, Writer } from './raw-table';
import { READ_MODEL_TABLES } from '../read-models/read-model-tables';
import { sleep } from '../../application/shared/sleep';
import { unavailableIfFull, unavailableIfLost } from './connection-loss';

export type Dialect = 'sqlite' | 'postgres';

/** Where a database is, enough to open it again (in a worker thread); `scratch` and `schema` as for openSqlite and openPostgres. */
export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly dataDir: string; readonly scratch: boolean }
  | { readonly dialect: 'postgres'; readonly url: string; readonly schema: string | null };

/** A transaction: plain SQL on one connection, and the tables to read and write through it (see RawTable). */
export type Tx = Writer & {
  /**
   * `name` makes it a prepared statement on PostgreSQL (planned once per connection; the SQL of a
   * name must never change). SQLite caches its statements anyway and ignores it.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<T[]>;
  /** An entity's table for plain-SQL reads and writes on this transaction (see RawTable). */
  table<T extends ObjectLiteral>(entity: EntityTarget<T>): RawTable<T>;
};

type SqliteStatement = { run(params: readonly unknown[]): unknown };
type PgConnection = { query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }> };

// BIGINT comes back as a string by default; positions stay far below 2^53.
pgTypes.setTypeParser(20, (value: string) => Number(value));

/**
 * The relational database behind the event store and the read models.
 * SQLite (embedded): one writer connection guarded by a mutex, one read-only connection (WAL
 * snapshots, so readers never see a half-done transaction). PostgreSQL: one pool for both.
 */
export class Database {
  private readonly writeMutex = new Mutex();

  private constructor(
    readonly location: DatabaseLocation,
    readonly writer: DataSource,
    readonly reader: DataSource,
  ) {}

  get dialect(): Dialect {
    return this.location.dialect;
  }

  /** The database at `location`, opened again (PostgreSQL: a pool of `poolSize`). */
  static openAt(location: DatabaseLocation, poolSize: number): Promise<Database> {
    if (location.dialect === 'sqlite') return Database.openSqlite(location.dataDir, { scratch: location.scratch });
    return Database.openPostgres(location.url, poolSize, location.schema === null ? undefined : { schema: location.schema });
  }

  /**
   * `scratch`: a throwaway copy (a replay's), whose commits need not reach the disk before they
   * return; never the live database.
   */
  static async openSqlite(dataDir: string, { scratch = false } = {}): Promise<Database> {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.resolve(dataDir, 'orchestrator.sqlite');
    const open = (readonly: boolean) =>
      new DataSource({
        type: 'better-sqlite3',
        database: file,
        readonly,
        entities: READ_MODEL_TABLES,
        statementCacheSize: 200,
        prepareDatabase: (db: { pragma(s: string): unknown }) => {
          // better-sqlite3 is synchronous: a busy wait would block the event loop, and with it any
          // other connection of this process that holds the lock. The writer retries asynchronously.
          db.pragma(`busy_timeout = ${readonly ? 2000 : 0}`);
          if (!readonly) {
            db.pragma('journal_mode = WAL');
            // FULL: a commit is on disk before it is acknowledged (nothing acknowledged is lost).
            db.pragma(scratch ? 'synchronous = OFF' : 'synchronous = FULL');
          }
        },
      }).initialize();
    const writer = await open(false);
    await writer.query('SELECT 1'); // creates the file before the reader opens it
    const reader = await open(true);
    return new Database({ dialect: 'sqlite', dataDir, scratch }, writer, reader);
  }

  /**
   * `scratch`: a schema of its own where unqualified names resolve first, for a throwaway copy of
   * the read models (a replay's), whose commits need not reach the disk before they return.
   */
  static async openPostgres(url: string, poolSize: number, scratch?: { schema: string }): Promise<Database> {
    const ds = await new DataSource({
      type: 'postgres',
      url,
      entities: READ_MODEL_TABLES,
      // A server that does not answer (a partition rather than a refusal) fails a request in 5 s, not at the OS's TCP timeout.
      extra: { max: poolSize, connectionTimeoutMillis: 5_000, ...(scratch ? { options: `-c search_path=${scratch.schema} -c synchronous_commit=off` } : {}) },
    }).initialize();
    return new Database({ dialect: 'postgres', url, schema: scratch?.schema ?? null }, ds, ds);
  }

  /**
   * Runs `fn` in a transaction on the writer; commits if it resolves, rolls back if it throws.
   * SQLite transactions begin IMMEDIATE (write lock first): a deferred one that read before writing
   * would fail with SQLITE_BUSY when another process wrote in between.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite')
      return this.writeMutex.run(() => this.sqliteTransaction(fn)).catch((error: unknown) => Promise.reject(unavailableIfFull(error)));
    return this.postgresTransaction(fn).catch((error: unknown) => Promise.reject(unavailableIfLost(error)));
  }

  private async sqliteTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.writer.createQueryRunner();
    await beginImmediate(runner);
    try {
      const runEach = async (sql: string, paramLists: readonly unknown[][]) => {
        const statement = this.sqliteStatement(sql);
        for (const params of paramLists) statement.run(params);
      };
      const result = await fn({ query: (sql, params) => runner.query(sql, params), runEach, table: (e) => this.table(e) });
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async postgresTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = this.writer.createQueryRunner();
    let connection: PgConnection;
    try {
      connection = (await runner.connect()) as PgConnection;
      await runner.startTransaction();
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    try {
      // Straight to the connection: TypeORM's query path costs more CPU than the round trip.
      const query = async <T>(sql: string, params?: unknown[], name?: string): Promise<T[]> =>
        (await connection.query({ ...(name ? { name } : {}), text: sql, values: params })).rows as T[];
      const runEach = async (sql: string, paramLists: readonly unknown[][]) => {
        for (const values of paramLists) await connection.query({ text: sql, values });
      };
      const result = await fn({ query, runEach, table: (e) => this.table(e) });
      await runner.commitTransaction();
      return result;
    } catch (error) {
      // On a lost connection the rollback fails too: the first error is the one to report.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  private readonly sqliteStatements = new Map<string, SqliteStatement>();

  /** A statement prepared once on the SQLite writer's own connection (under TypeORM's, which takes no list of rows). */
  private sqliteStatement(sql: string): SqliteStatement {
    let statement = this.sqliteStatements.get(sql);
    if (!statement) {
      statement = (this.writer.driver as unknown as { databaseConnection: { prepare(sql: string): SqliteStatement } }).databaseConnection.prepare(sql);
      this.sqliteStatements.set(sql, statement);
    }
    return statement;
  }

  /** One statement in its own transaction on the writer, prepared once per connection (PostgreSQL only). */
  async queryPrepared<T = Record<string, unknown>>(name: string, sql: string, params: unknown[]): Promise<T[]> {
    if (this.dialect !== 'postgres') throw new Error('queryPrepared is for PostgreSQL');
    return (await this.pool().query({ name, text: sql, values: params })).rows as T[];
  }

  /**
   * Reads that all see one consistent state of the database, whatever commits meanwhile.
   * PostgreSQL: a REPEATABLE READ transaction on a connection of its own. SQLite: a transaction on
   * the read connection, so every read of this Database in the meantime sees that state too.
   */
  async readSnapshot<T>(fn: (query: <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    const runner = this.reader.createQueryRunner();
    await runner.query(this.dialect === 'postgres' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    try {
      return await fn((sql, params) => runner.query(sql, params));
    } finally {
      await runner.query('COMMIT').catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * Runs `fn` while holding a PostgreSQL session advisory lock (waiting for it), so that of several
   * processes starting together one does it at a time (the bootstrap). SQLite has one process.
   */
  async exclusively<T>(lockKey: number, fn: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'postgres') return fn();
    const runner = this.writer.createQueryRunner();
    await runner.query('SELECT pg_advisory_lock($1)', [lockKey]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
      await runner.release();
    }
  }

  private readonly tables = new Map<unknown, RawTable<never>>();

  /** An entity's table for plain-SQL reads and writes (built once per entity). */
  table<T extends ObjectLiteral>(entity: EntityTarget<T>): RawTable<T> {
    let table = this.tables.get(entity) as RawTable<T> | undefined;
    if (!table) {
      table = new RawTable<T>(this, entity);
      this.tables.set(entity, table as unknown as RawTable<never>);
    }
    return table;
  }

  /** A query outside any transaction, on the reader (PostgreSQL: straight to the pool, past TypeORM's query path). */
  async query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    if (this.dialect === 'sqlite') return this.reader.query(sql, params);
    try {
      return (await this.pool().query({ text: sql, values: params })).rows as T[];
    } catch (error) {
      throw unavailableIfLost(error);
    }
  }

  private pool(): PgConnection {
    return (this.writer.driver as unknown as { master: PgConnection }).master;
  }

  /** Placeholder for the n-th (1-based) parameter in this dialect. */
  param(n: number): string {
    return this.dialect === 'postgres' ? `$${n}` : '?';
  }

  async ping(): Promise<boolean> {
    try {
      await this.reader.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
    if (this.writer.isInitialized) await this.writer.destroy();
  }
}

const SQLITE_LOCK_WAIT_MS = 15_000;

/** Takes SQLite's write lock, waiting without blocking the event loop while another connection holds it. */
async function beginImmediate(runner: { query(sql: string): Promise<unknown> }): Promise<void> {
  const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      await runner.query('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      if (!/SQLITE_BUSY|database is locked/.test(String((error as Error).message) + String((error as { code?: string }).code)) || Date.now() > deadline) {
        throw error;
      }
      await sleep(delay);
    }
  }
}
