import { Migration } from './migration';

export const eventTimeColumn: Migration = {
  id: '014-event-time-column',
  // The event's time (metadata.at) as a column of its own, kept by the database from the
  // metadata (the hash chain covers it there; it cannot be written apart): catch-ups, replays
  // and time filters read it without taking the metadata's JSON apart for every row. SQLite adds
  // only virtual generated columns in place, so it copies the log into a table that stores it.
  up: (d) =>
    d === 'postgres'
      ? [`ALTER TABLE events ADD COLUMN at TEXT GENERATED ALWAYS AS (metadata->>'at') STORED`]
      : [
          `CREATE TABLE events_with_time (
             position INTEGER PRIMARY KEY AUTOINCREMENT,
             id TEXT NOT NULL UNIQUE,
             stream TEXT NOT NULL,
             version INTEGER NOT NULL,
             type TEXT NOT NULL,
             schema_version INTEGER NOT NULL,
             data TEXT NOT NULL,
             metadata TEXT NOT NULL,
             project_id TEXT NULL,
             hash TEXT NULL,
             at TEXT GENERATED ALWAYS AS (metadata ->> '$.at') STORED,
             CONSTRAINT events_stream_version UNIQUE (stream, version)
           )`,
          `INSERT INTO events_with_time (position, id, stream, version, type, schema_version, data, metadata, project_id, hash)
           SELECT position, id, stream, version, type, schema_version, data, metadata, project_id, hash FROM events ORDER BY position`,
          // Positions go on from the old table's counter, even were it past the last event it holds.
          `UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'events')
           WHERE name = 'events_with_time' AND seq < (SELECT seq FROM sqlite_sequence WHERE name = 'events')`,
          `INSERT INTO sqlite_sequence (name, seq) SELECT 'events_with_time', seq FROM sqlite_sequence
           WHERE name = 'events' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events_with_time')`,
          `DROP TABLE events`,
          `ALTER TABLE events_with_time RENAME TO events`,
          `CREATE INDEX events_project_position ON events (project_id, position)`,
          `CREATE INDEX events_type_position ON events (type, position)`,
        ],
};
