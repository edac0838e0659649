import { createHash } from 'node:crypto';

/** An event as the chain covers it: every column of the log, JSON as the database stores it. */
export type ChainedRow = {
  position: number;
  id: string;
  stream: string;
  version: number;
  type: string;
  schemaVersion: number;
  /** The stored JSON text (PostgreSQL: `data::text` of the JSONB, which is canonical). */
  dataText: string;
  metadataText: string;
};

/** The hash before the first event. */
export const GENESIS = '';

/**
 * The tamper-evident chain: each event's hash covers its content and the previous event's hash,
 * in log order. sha256 over the fields joined by newlines; PostgreSQL computes the same in
 * orch_append_batch (migration 012), SQLite's appends here.
 */
export function chainHash(previous: string, row: ChainedRow): string {
  const content = [previous, row.position, row.id, row.stream, row.version, row.type, row.schemaVersion, row.dataText, row.metadataText].join('\n');
  return createHash('sha256').update(content, 'utf8').digest('hex');
}
