import { ReadAllFilter } from '../../../application/ports/event-store.port';
import { EVENT_COLUMNS } from './event-rows';
import { SqlDialect } from './sql-dialect';

/** Any constant will do; it only has to be the same for every appender of one database. */
const APPEND_LOCK_KEY = 7262001;

export const postgresDialect: SqlDialect = {
  async lockForAppend(tx) {
    // A transaction-scoped lock is released after the commit became visible, so an event with a
    // higher position can never be visible while one with a lower position is still in flight.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);
  },

  async currentVersions(tx, streams) {
    const rows = await tx.query<{ stream: string; version: number }>(
      'SELECT stream, MAX(version) AS version FROM events WHERE stream = ANY($1::text[]) GROUP BY stream',
      [streams],
    );
    return new Map(rows.map((r) => [r.stream, Number(r.version)]));
  },

  async insert(tx, rows) {
    const returned = await tx.query<{ id: string; position: number }>(
      `INSERT INTO events (id, stream, version, type, schema_version, data, metadata, project_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::text[])
       RETURNING id, position`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.stream),
        rows.map((r) => r.version),
        rows.map((r) => r.type),
        rows.map((r) => r.schemaVersion),
        rows.map((r) => r.data),
        rows.map((r) => r.metadata),
        rows.map((r) => r.projectId),
      ],
    );
    const byId = new Map(returned.map((r) => [r.id, Number(r.position)]));
    return rows.map((r) => byId.get(r.id) as number);
  },

  readAllQuery(after, limit, filter: ReadAllFilter) {
    const params: unknown[] = [after];
    const where = ['position > $1'];
    if (filter.types?.length) where.push(`type = ANY($${params.push(filter.types)}::text[])`);
    if (filter.stream) where.push(`stream = $${params.push(filter.stream)}`);
    if (filter.projectId) where.push(`project_id = $${params.push(filter.projectId)}`);
    params.push(limit);
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT $${params.length}`, params };
  },

  readStreamQuery(stream, fromVersion) {
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = $1 AND version >= $2 ORDER BY version`, params: [stream, fromVersion] };
  },
};
