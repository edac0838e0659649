import { Dialect, Tx } from '../database';

/** Schema statements, then (optionally) a data step in the same transaction. */
export type Migration = { id: string; up: (dialect: Dialect) => string[]; data?: (tx: Tx, dialect: Dialect) => Promise<void> };

export const json = (d: Dialect) => (d === 'postgres' ? 'JSONB' : 'TEXT');
