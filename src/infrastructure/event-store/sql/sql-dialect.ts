import { EventTypes, ExpectedVersion, ReadAllFilter } from '../../../application/ports/event-store.port';
import { Database } from '../../persistence/database';

export type InsertRow = {
  id: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  projectId: string | null;
};

export type AppendRequest = { stream: string; expected: ExpectedVersion; rows: InsertRow[] };

/** Per request: its positions, or the stream's actual version when the expected one was wrong. */
export type AppendOutcome = { ok: true; nextVersion: number; positions: number[] } | { ok: false; actual: number };

/** The statements that differ between SQLite and PostgreSQL. */
export interface SqlDialect {
  /**
   * Writes a group of appends in one transaction, serialised against every other appender so
   * that positions become visible in increasing order. Each request is checked against its
   * stream's head (including earlier requests of the same group); a wrong one is skipped.
   * Throws (and writes nothing) if the transaction fails.
   */
  appendBatch(db: Database, requests: AppendRequest[]): Promise<AppendOutcome[]>;
  readAllQuery(after: number, limit: number, filter: ReadAllFilter): { sql: string; params: unknown[] };
  /** The EventCore columns (position, type, schema version, data, at) of a range of the log, of some types only when given. */
  readCoresQuery(after: number, through: number, limit: number, types?: EventTypes): { sql: string; params: unknown[] };
  readStreamQuery(stream: string, fromVersion: number): { sql: string; params: unknown[] };
  /** The value a read gives back for JSON written as this text (PostgreSQL's JSONB reorders keys). */
  parseStored(json: string): unknown;
}

export function versionMatches(expected: ExpectedVersion, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === 0;
  return expected === current;
}

/**
 * A condition on the type column that holds for exactly the selected types, with `param` making
 * the placeholder of the n-th parameter after the `before` already taken (the same text for a
 * selection, so its statement is prepared once).
 */
export function typesCondition(types: EventTypes, before: number, param: (n: number) => string): { condition: string; params: string[] } {
  const params: string[] = [];
  const next = (value: string) => param(before + params.push(value));
  const parts = [
    ...(types.types.length ? [`type IN (${types.types.map(next).join(', ')})`] : []),
    ...types.prefixes.map((prefix) => `substr(type, 1, ${prefix.length}) = ${next(prefix)}`),
  ];
  return { condition: parts.length ? `(${parts.join(' OR ')})` : '1 = 0', params };
}
