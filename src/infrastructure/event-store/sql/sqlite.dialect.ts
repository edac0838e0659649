import { ReadAllFilter } from '../../../application/ports/event-store.port';
import { Tx } from '../../persistence/database';
import { EVENT_COLUMNS } from './event-rows';
import { InsertRow, SqlDialect, typesCondition, versionMatches } from './sql-dialect';
import { GENESIS, chainHash } from './hash-chain';

const ROWS_PER_INSERT = 500; // 10 parameters a row, well under SQLite's variable limit
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Head version of each stream: one index probe per stream (the stream list is one JSON parameter). */
async function currentVersions(tx: Tx, streams: string[]): Promise<Map<string, number>> {
  const rows = await tx.query<{ stream: string; version: number | null }>(
    `SELECT s.value AS stream, (SELECT e.version FROM events e WHERE e.stream = s.value ORDER BY e.version DESC LIMIT 1) AS version
     FROM json_each(?) AS s`,
    [JSON.stringify(streams)],
  );
  return new Map(rows.filter((r) => r.version !== null).map((r) => [r.stream, Number(r.version)]));
}

/**
 * Inserts rows in order with the positions they get and their place in the hash chain; returns
 * the positions in the same order. (One writer at a time: the next position and the chain's head
 * cannot move under us.)
 */
async function insert(tx: Tx, rows: Array<{ stream: string; version: number; row: InsertRow }>): Promise<number[]> {
  if (rows.length === 0) return [];
  const [seq] = await tx.query<{ seq: number | null }>(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`);
  const [head] = await tx.query<{ hash: string | null }>('SELECT hash FROM events ORDER BY position DESC LIMIT 1');
  let previous = head?.hash ?? GENESIS;
  let next = Number(seq?.seq ?? 0) + 1;
  const positions: number[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (const { stream, version, row: r } of chunk) {
      const position = next++;
      previous = chainHash(previous, {
        position,
        id: r.id,
        stream,
        version,
        type: r.type,
        schemaVersion: r.schemaVersion,
        dataText: r.data,
        metadataText: r.metadata,
      });
      params.push(position, r.id, stream, version, r.type, r.schemaVersion, r.data, r.metadata, r.projectId, previous);
      positions.push(position);
    }
    await tx.query(
      `INSERT INTO events (position, id, stream, version, type, schema_version, data, metadata, project_id, hash)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      params,
    );
  }
  return positions;
}

export const sqliteDialect: SqlDialect = {
  async appendBatch(db, requests) {
    // SQLite has one writer at a time (and this process one writer connection behind a mutex),
    // so positions are committed in increasing order without a further lock.
    return db.transaction(async (tx) => {
      const heads = await currentVersions(tx, [...new Set(requests.map((r) => r.stream))]);
      const accepted: Array<{ stream: string; version: number; row: InsertRow }> = [];
      const plans = requests.map((request) => {
        const current = heads.get(request.stream) ?? 0;
        if (!versionMatches(request.expected, current)) return { ok: false as const, actual: current };
        const first = accepted.length;
        request.rows.forEach((row, i) => accepted.push({ stream: request.stream, version: current + i + 1, row }));
        heads.set(request.stream, current + request.rows.length);
        return { ok: true as const, first, count: request.rows.length, nextVersion: current + request.rows.length };
      });
      const positions = await insert(tx, accepted);
      return plans.map((plan) =>
        plan.ok ? { ok: true as const, nextVersion: plan.nextVersion, positions: positions.slice(plan.first, plan.first + plan.count) } : plan,
      );
    });
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
    for (const [value, condition] of [
      [filter.principal, "json_extract(metadata, '$.principal') = ?"],
      [filter.from, 'at >= ?'],
      [filter.to, 'at < ?'],
    ] as const) {
      if (!value) continue;
      where.push(condition);
      params.push(value);
    }
    params.push(limit);
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`, params };
  },

  parseStored: (json) => JSON.parse(json),

  readCoresQuery(after, through, limit, types) {
    const selected = types ? typesCondition(types, 2, () => '?') : null;
    // NOT INDEXED: walk the range of positions (the rowid), never the type index and a sort.
    return {
      sql: `SELECT position, type, schema_version, data, at FROM events NOT INDEXED WHERE position > ? AND position <= ?${selected ? ` AND ${selected.condition}` : ''} ORDER BY position LIMIT ?`,
      params: [after, through, ...(selected?.params ?? []), limit],
    };
  },

  readStreamQuery(stream, fromVersion) {
    return { sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND version >= ? ORDER BY version`, params: [stream, fromVersion] };
  },
};
