import { ReadAllFilter } from '../../../application/ports/event-store.port';
import { EVENT_COLUMNS } from './event-rows';
import { InsertRow, SqlDialect } from './sql-dialect';

const ROWS_PER_INSERT = 500; // 8 parameters a row, well under SQLite's variable limit
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export const sqliteDialect: SqlDialect = {
  async lockForAppend() {
    // SQLite has one writer at a time (and this process has one writer connection behind a
    // mutex), so positions are committed in increasing order without any further lock.
  },

  async currentVersions(tx, streams) {
    const result = new Map<string, number>();
    for (let i = 0; i < streams.length; i += ROWS_PER_INSERT) {
      const chunk = streams.slice(i, i + ROWS_PER_INSERT);
      const rows = await tx.query<{ stream: string; version: number }>(
        `SELECT stream, MAX(version) AS version FROM events WHERE stream IN (${placeholders(chunk.length)}) GROUP BY stream`,
        chunk,
      );
      for (const r of rows) result.set(r.stream, Number(r.version));
    }
    return result;
  },

  async insert(tx, rows: InsertRow[]) {
    const positions: number[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const params = chunk.flatMap((r) => [r.id, r.stream, r.version, r.type, r.schemaVersion, r.data, r.metadata, r.projectId]);
      const returned = await tx.query<{ id: string; position: number }>(
        `INSERT INTO events (id, stream, version, type, schema_version, data, metadata, project_id)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING id, position`,
        params,
      );
      const byId = new Map(returned.map((r) => [r.id, Number(r.position)]));
      for (const r of chunk) positions.push(byId.get(r.id) as number);
    }
    return positions;
  },

  readAllQuery(after, limit, filter: ReadAllFilter) {
    const params: unknown[] = [after];
    const where = ['position > ?'];
    if (filter.types?.length) {
      where.push(`type IN (${placeholders(filter.types.length)})`);
      params.push(...filter.types);
    }
    if (filter.stream) {
      where.push('stream = ?');
      params.push(filter.stream);
    }
    if (filter.projectId) {
      where.push('project_id = ?');
      params.push(filter.projectId);
    }
    params.push(limit);
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`, params };
  },

  readStreamQuery(stream, fromVersion) {
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND version >= ? ORDER BY version`, params: [stream, fromVersion] };
  },
};
