import { Migration, json } from './migration';

export const eventLog: Migration = {
  id: '001-event-log',
  up: (d) => [
    `CREATE TABLE events (
       position ${d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
       id ${d === 'postgres' ? 'UUID' : 'TEXT'} NOT NULL UNIQUE,
       stream TEXT NOT NULL,
       version INTEGER NOT NULL,
       type TEXT NOT NULL,
       schema_version INTEGER NOT NULL,
       data ${json(d)} NOT NULL,
       metadata ${json(d)} NOT NULL,
       project_id TEXT NULL,
       CONSTRAINT events_stream_version UNIQUE (stream, version)
     )`,
    `CREATE INDEX events_project_position ON events (project_id, position)`,
    `CREATE INDEX events_type_position ON events (type, position)`,
  ],
};
