import { ReadAllFilter } from '../../../application/ports/event-store.port';
import { Tx } from '../../persistence/database';

export type InsertRow = {
  id: string;
  stream: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  projectId: string | null;
};

/** The statements that differ between SQLite and PostgreSQL. */
export interface SqlDialect {
  /** Serialises appenders so that positions are committed in increasing order. */
  lockForAppend(tx: Tx): Promise<void>;
  currentVersions(tx: Tx, streams: string[]): Promise<Map<string, number>>;
  /** Inserts rows in the given order; returns the position of each row, in the same order. */
  insert(tx: Tx, rows: InsertRow[]): Promise<number[]>;
  readAllQuery(after: number, limit: number, filter: ReadAllFilter): { sql: string; params: unknown[] };
  readStreamQuery(stream: string, fromVersion: number): { sql: string; params: unknown[] };
}
