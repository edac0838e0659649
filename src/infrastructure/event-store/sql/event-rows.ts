import { EVENT_SCHEMAS } from '../../../domain/event-schemas';
import { EventCore, RecordedEvent } from '../../../application/ports/event-store.port';

export type EventRowRaw = {
  position: number | string;
  id: string;
  stream: string;
  version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
};

export const EVENT_COLUMNS = 'position, id, stream, version, type, schema_version, data, metadata';

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** Events are read in their type's current schema (see EVENT_SCHEMAS); the row keeps the one it was written in. */
export function toRecordedEvent(row: EventRowRaw): RecordedEvent {
  const schemaVersion = Number(row.schema_version);
  return {
    position: Number(row.position),
    id: row.id,
    stream: row.stream,
    version: Number(row.version),
    type: row.type,
    schemaVersion: EVENT_SCHEMAS.currentVersion(row.type),
    data: EVENT_SCHEMAS.upcast(row.type, schemaVersion, parse(row.data)),
    metadata: parse(row.metadata),
  };
}

export type EventCoreRow = { position: number | string; type: string; schema_version: number | string; data: unknown; at: string };

export function toEventCore(row: EventCoreRow): EventCore {
  return {
    position: Number(row.position),
    type: row.type,
    data: EVENT_SCHEMAS.upcast(row.type, Number(row.schema_version), parse(row.data)),
    metadata: { at: row.at },
  };
}
