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

export function toRecordedEvent(row: EventRowRaw): RecordedEvent {
  return {
    position: Number(row.position),
    id: row.id,
    stream: row.stream,
    version: Number(row.version),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: parse(row.data),
    metadata: parse(row.metadata),
  };
}

export type EventCoreRow = { position: number | string; type: string; data: unknown; at: string };

export function toEventCore(row: EventCoreRow): EventCore {
  return { position: Number(row.position), type: row.type, data: parse(row.data), metadata: { at: row.at } };
}
