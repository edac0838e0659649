import { ExpectedVersion, ReadAllFilter } from '../../../application/ports/event-store.port';
import { EVENT_COLUMNS } from './event-rows';
import { SqlDialect, typesCondition } from './sql-dialect';

/** `orch_append_batch` (migration 004) encodes the expected version as: -1 any, 0 no stream, n the version. */
const encodeExpected = (expected: ExpectedVersion) => (expected === 'any' ? -1 : expected === 'no_stream' ? 0 : expected);

export const postgresDialect: SqlDialect = {
  async appendBatch(db, requests) {
    // One statement, one round trip, its own transaction: the function takes the append lock,
    // checks each request against its stream head and inserts the accepted events.
    const rows = requests.flatMap((r) => r.rows);
    const result = await db.queryPrepared<{ append_index: number; actual: number; positions: number[] | string[] | null }>(
      'orch_append_batch',
      'SELECT append_index, actual, positions FROM orch_append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [
        requests.map((r) => r.stream),
        requests.map((r) => encodeExpected(r.expected)),
        requests.map((r) => r.rows.length),
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.schemaVersion),
        // Already JSON text: joined into one JSON array without escaping anything again.
        `[${rows.map((r) => r.data).join(',')}]`,
        `[${rows.map((r) => r.metadata).join(',')}]`,
        rows.map((r) => r.projectId),
      ],
    );
    const byIndex = new Map(result.map((r) => [Number(r.append_index), r]));
    return requests.map((request, i) => {
      const row = byIndex.get(i + 1);
      if (!row) throw new Error(`orch_append_batch returned no outcome for append ${i + 1}`);
      const actual = Number(row.actual);
      if (row.positions === null) return { ok: false as const, actual };
      return { ok: true as const, nextVersion: actual + request.rows.length, positions: row.positions.map(Number) };
    });
  },

  readAllQuery(after, limit, filter: ReadAllFilter) {
    const params: unknown[] = [after];
    const where = ['position > $1'];
    if (filter.types?.length) where.push(`type = ANY($${params.push(filter.types)}::text[])`);
    if (filter.stream) where.push(`stream = $${params.push(filter.stream)}`);
    if (filter.projectId) where.push(`project_id = $${params.push(filter.projectId)}`);
    if (filter.principal) where.push(`metadata->>'principal' = $${params.push(filter.principal)}`);
    if (filter.from) where.push(`at >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`at < $${params.push(filter.to)}`);
    params.push(limit);
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT $${params.length}`, params };
  },

  parseStored: (json) => JSON.parse(json, inJsonbKeyOrder),

  readCoresQuery(after, through, limit, types) {
    const selected = types ? typesCondition(types, 2, (n) => `$${n}`) : null;
    const params = [after, through, ...(selected?.params ?? []), limit];
    return {
      sql: `SELECT position, type, schema_version, data, at FROM events WHERE position > $1 AND position <= $2${selected ? ` AND ${selected.condition}` : ''} ORDER BY position LIMIT $${params.length}`,
      params,
    };
  },

  readStreamQuery(stream, fromVersion) {
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = $1 AND version >= $2 ORDER BY version`, params: [stream, fromVersion] };
  },
};

/**
 * JSONB keeps an object's keys sorted by byte length, then bytewise; a read returns them in that
 * order. Events this process committed are handed to its followers in the same order as a read
 * would give them, so that a read model built live and one replayed from the log are identical.
 */
function inJsonbKeyOrder(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  entries.sort(([a], [b]) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Object.fromEntries(entries);
}
