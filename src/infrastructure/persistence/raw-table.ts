import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { PageRequest } from '../../application/shared/paging';
import { decodeCursor } from './paging';

/** `type`: the column's SQL type as its entity declares it ('simple-json' columns are text holding JSON). */
type Column = { property: string; column: string; json: boolean; type: string };
/** A read of a table (see RawTable.find). */
export type Query = { where?: string; params?: unknown[]; orderBy?: string; limit?: number };
/** `name`: a prepared statement's name on PostgreSQL (see Tx.query). */
export type Runner = { query<T = Record<string, unknown>>(sql: string, params?: unknown[], name?: string): Promise<T[]> };
/**
 * A transaction as tables write through it. `runEach` runs one statement once per list of
 * parameters, in order: SQLite prepares it once and runs it row by row, which costs it about a
 * third less per row than one statement of many VALUES.
 */
export type Writer = Runner & { runEach(sql: string, paramLists: readonly unknown[][]): Promise<void> };
/** What of the Database a table needs (structural, so that the Database can hand out tables). */
type Db = Runner & { readonly dialect: 'sqlite' | 'postgres'; readonly writer: DataSource; param(n: number): string };

/**
 * An entity's table read and written with plain SQL built once from TypeORM's metadata. On the
 * hot paths (projections folding a batch, lookups on every launch) TypeORM's query builder cost
 * more CPU than the database round trip; this keeps the same tables, columns and JSON encoding.
 * Rows are addressed by their primary key as one string (see keyOf). On PostgreSQL every statement
 * takes its rows as one JSON document or its keys as arrays, so its text never changes and it is
 * prepared once per connection, whatever the number of rows.
 */
export class RawTable<T extends ObjectLiteral> {
  private readonly table: string;
  private readonly columns: Column[];
  private readonly key: Column[];
  private readonly select: string;
  /**
   * PostgreSQL: an upsert of the rows of a JSON array of entities (keys are property names).
   * SQLite: an upsert of one row, its values as parameters in column order.
   */
  private readonly upsertSql: string;

  constructor(
    private readonly db: Db,
    entity: EntityTarget<T>,
  ) {
    const metadata = db.writer.getMetadata(entity);
    const describe = (c: (typeof metadata.columns)[number]) => ({
      property: c.propertyName,
      column: c.databaseName,
      json: c.type === 'simple-json',
      type: String(c.type),
    });
    this.table = metadata.tableName;
    this.columns = metadata.columns.map(describe);
    this.key = metadata.primaryColumns.map(describe);
    const columns = this.columns.map((c) => c.column).join(', ');
    this.select = `SELECT ${columns} FROM ${this.table}`;
    const keyColumns = new Set(this.key.map((c) => c.column));
    const updates = this.columns.filter((c) => !keyColumns.has(c.column)).map((c) => `${c.column} = excluded.${c.column}`);
    const onConflict = `ON CONFLICT (${[...keyColumns].join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
    if (db.dialect === 'postgres') {
      const fields = this.columns.map((c) => `"${c.property}" ${c.json ? 'json' : c.type}`);
      const values = this.columns.map((c) => (c.json ? `"${c.property}"::text` : `"${c.property}"`));
      this.upsertSql = `INSERT INTO ${this.table} (${columns}) SELECT ${values.join(', ')} FROM json_to_recordset($1::json) AS r(${fields.join(', ')}) ${onConflict}`;
    } else {
      this.upsertSql = `INSERT INTO ${this.table} (${columns}) VALUES (${this.columns.map(() => '?').join(', ')}) ${onConflict}`;
    }
  }

  /** A row's primary key as one string: the value of a one-column key, the values in JSON for a composite one. */
  keyOf(row: Partial<T>): string {
    return this.key.length === 1 ? String(row[this.key[0].property]) : JSON.stringify(this.key.map((c) => row[c.property]));
  }

  /**
   * Rows matching `where` (SQL with `?` placeholders, whatever the dialect), in `orderBy` order, at
   * most `limit`; outside a transaction by default.
   */
  async find(query: Query = {}, runner: Runner = this.db): Promise<T[]> {
    const { where, params = [], orderBy, limit } = query;
    const sql = `${this.select}${where ? ` WHERE ${where}` : ''}${orderBy ? ` ORDER BY ${orderBy}` : ''}${limit !== undefined ? ` LIMIT ${Math.floor(limit)}` : ''}`;
    return (await runner.query(this.placeholders(sql), params)).map((row) => this.toEntity(row));
  }

  async first(where: string, params: unknown[]): Promise<T | null> {
    return (await this.find({ where, params, limit: 1 }))[0] ?? null;
  }

  /** A page in id order: the rows matching `where` after the page's cursor, one more than its limit (see toPage). */
  async page(page: PageRequest, query: Pick<Query, 'where' | 'params'> = {}): Promise<T[]> {
    const after = decodeCursor(page.cursor);
    const conditions = [...(query.where ? [`(${query.where})`] : []), ...(after !== null ? ['id > ?'] : [])];
    return this.find({
      where: conditions.join(' AND ') || undefined,
      params: [...(query.params ?? []), ...(after !== null ? [after] : [])],
      orderBy: 'id',
      limit: page.limit + 1,
    });
  }

  /** `?` placeholders as the dialect wants them (PostgreSQL: $1, $2, …). */
  private placeholders(sql: string): string {
    if (this.db.dialect !== 'postgres') return sql;
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  }

  async byKeys(keys: readonly string[], runner: Runner = this.db): Promise<T[]> {
    const found: T[] = [];
    for (const chunk of this.chunks(keys)) {
      const { condition, params, name } = this.keyCondition(chunk);
      for (const row of await runner.query(`${this.select} WHERE ${condition}`, params, name && `select_${name}`)) found.push(this.toEntity(row));
    }
    return found;
  }

  /** Inserts the rows, or replaces every column of those whose key exists. */
  async upsert(rows: readonly T[], tx: Writer): Promise<void> {
    if (rows.length === 0) return;
    if (this.db.dialect === 'postgres') {
      // The entities themselves as one JSON document: one native JSON.stringify, and the server
      // (another core) takes it apart; a JSON column's value comes out as the text it was written as.
      for (const chunk of this.chunks(rows)) await tx.query(this.upsertSql, [JSON.stringify(chunk)], `upsert_${this.table}`);
      return;
    }
    const value = (row: T, c: Column) => (c.json && row[c.property] != null ? JSON.stringify(row[c.property]) : (row[c.property] ?? null));
    await tx.runEach(
      this.upsertSql,
      rows.map((row) => this.columns.map((c) => value(row, c))),
    );
  }

  async deleteKeys(keys: readonly string[], runner: Runner): Promise<void> {
    for (const chunk of this.chunks(keys)) {
      const { condition, params, name } = this.keyCondition(chunk);
      await runner.query(`DELETE FROM ${this.table} WHERE ${condition}`, params, name && `delete_${name}`);
    }
  }

  /** Keys (or PostgreSQL's rows) per statement: SQLite binds a parameter per key (its limit is 32,766), PostgreSQL one document or array. */
  private chunks<V>(items: readonly V[]): V[][] {
    const size = this.db.dialect === 'postgres' ? 10_000 : 200;
    const chunks: V[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  }

  /** Rows whose key is one of `keys`. PostgreSQL: one array parameter per key column. */
  private keyCondition(keys: readonly string[]): { condition: string; params: unknown[]; name?: string } {
    const columns = this.key.map((c) => c.column).join(', ');
    if (this.db.dialect === 'postgres') {
      if (this.key.length === 1) return { condition: `${columns} = ANY($1::text[])`, params: [keys], name: this.table };
      const tuples = keys.map((k) => JSON.parse(k) as unknown[]);
      return {
        condition: `(${columns}) IN (SELECT * FROM unnest(${this.key.map((_, i) => `$${i + 1}::text[]`).join(', ')}))`,
        params: this.key.map((_, i) => tuples.map((t) => t[i])),
        name: this.table,
      };
    }
    if (this.key.length === 1) return { condition: `${columns} IN (${keys.map(() => '?').join(', ')})`, params: [...keys] };
    const tuple = `(${this.key.map(() => '?').join(', ')})`;
    const tuples = keys.map(() => tuple).join(', ');
    return { condition: `(${columns}) IN (VALUES ${tuples})`, params: keys.flatMap((k) => JSON.parse(k) as unknown[]) };
  }

  private toEntity(row: Record<string, unknown>): T {
    const entity: Record<string, unknown> = {};
    for (const c of this.columns) {
      const value = row[c.column];
      entity[c.property] = c.json && typeof value === 'string' ? JSON.parse(value) : value;
    }
    return entity as T;
  }
}
