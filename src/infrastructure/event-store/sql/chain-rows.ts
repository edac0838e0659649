import { Dialect } from '../../persistence/database';
import { ChainedRow } from './hash-chain';

export type ChainRowRaw = {
  position: number | string;
  id: string;
  stream: string;
  version: number | string;
  type: string;
  schema_version: number | string;
  data_text: string;
  metadata_text: string;
  hash: string | null;
};

/** Events after a position (parameter 1) with their JSON as stored (PostgreSQL: the JSONB's canonical text) and their hash. */
export function chainRowsQuery(dialect: Dialect, limit: number): string {
  const text = (column: string) => (dialect === 'postgres' ? `${column}::text` : column);
  return `SELECT position, id${dialect === 'postgres' ? '::text AS id' : ''}, stream, version, type, schema_version,
            ${text('data')} AS data_text, ${text('metadata')} AS metadata_text, hash
          FROM events WHERE position > ${dialect === 'postgres' ? '$1' : '?'} ORDER BY position LIMIT ${Math.floor(limit)}`;
}

export function toChainedRow(r: ChainRowRaw): ChainedRow {
  return {
    position: Number(r.position),
    id: r.id,
    stream: r.stream,
    version: Number(r.version),
    type: r.type,
    schemaVersion: Number(r.schema_version),
    dataText: r.data_text,
    metadataText: r.metadata_text,
  };
}
