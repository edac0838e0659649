import { Database } from '../persistence/database';

export type Query = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

export type TableComparison = {
  readonly table: string;
  readonly liveRows: number;
  readonly replayedRows: number;
  /** The first live row (in key order) that the replayed table lacks or holds differently. */
  readonly firstDifference: { readonly key: Record<string, unknown>; readonly column: string | null } | null;
  readonly equal: boolean;
};

const PAGE = 2000;

/**
 * Compares a read-model table of the live database with its replayed copy: same number of rows,
 * and every live row found under its primary key with equal columns. Live rows are read in key
 * order, a page at a time, through `live` (a snapshot, so that a running orchestrator does not
 * move them underneath).
 */
export async function compareTable(live: Query, replayed: Database, table: string): Promise<TableComparison> {
  const key = primaryKeyOf(replayed, table);
  const count = async (query: Query) => Number((await query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const liveRows = await count(live);
  const replayedRows = await count((sql, params) => replayed.query(sql, params));
  const p = (n: number) => replayed.param(n);
  const keyList = key.join(', ');
  let after: unknown[] | null = null;
  for (;;) {
    const page: Array<Record<string, unknown>> = await live(
      after
        ? `SELECT * FROM ${table} WHERE (${keyList}) > (${key.map((_, i) => p(i + 1)).join(', ')}) ORDER BY ${keyList} LIMIT ${PAGE}`
        : `SELECT * FROM ${table} ORDER BY ${keyList} LIMIT ${PAGE}`,
      after ?? [],
    );
    if (page.length === 0) break;
    const tuples = page.map((_, r) => `(${key.map((__, i) => p(r * key.length + i + 1)).join(', ')})`).join(', ');
    const copies = await replayed.query<Record<string, unknown>>(
      `SELECT * FROM ${table} WHERE (${keyList}) IN (VALUES ${tuples})`,
      page.flatMap((row) => key.map((k) => row[k])),
    );
    const byKey = new Map(copies.map((row) => [keyOf(row, key), row]));
    for (const row of page) {
      const copy = byKey.get(keyOf(row, key));
      const column = copy ? Object.keys(row).find((c) => JSON.stringify(row[c]) !== JSON.stringify(copy[c])) : undefined;
      if (!copy || column !== undefined) {
        const firstDifference = { key: Object.fromEntries(key.map((k) => [k, row[k]])), column: copy ? (column ?? null) : null };
        return { table, liveRows, replayedRows, firstDifference, equal: false };
      }
    }
    after = key.map((k) => page[page.length - 1][k]);
  }
  return { table, liveRows, replayedRows, firstDifference: null, equal: liveRows === replayedRows };
}

function keyOf(row: Record<string, unknown>, key: readonly string[]): string {
  return JSON.stringify(key.map((k) => row[k]));
}

function primaryKeyOf(db: Database, table: string): string[] {
  const metadata = db.writer.entityMetadatas.find((m) => m.tableName === table);
  if (!metadata) throw new Error(`No entity maps the read-model table ${table}`);
  return metadata.primaryColumns.map((c) => c.databaseName);
}
