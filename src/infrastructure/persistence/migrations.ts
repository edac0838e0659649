import { Database, Dialect } from './database';

type Migration = { id: string; up: (dialect: Dialect) => string[] };

const json = (d: Dialect) => (d === 'postgres' ? 'JSONB' : 'TEXT');

/** Ordered, append-only list: never edit a migration that has shipped; add a new one. */
const MIGRATIONS: Migration[] = [
  {
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
  },
  {
    id: '002-projections-and-idempotency',
    up: () => [
      `CREATE TABLE rm_checkpoints (name TEXT PRIMARY KEY, position BIGINT NOT NULL)`,
      `CREATE TABLE idempotency_keys (
         scope TEXT NOT NULL,
         key TEXT NOT NULL,
         request_hash TEXT NOT NULL,
         status TEXT NOT NULL,
         response_status INTEGER NULL,
         response_body TEXT NULL,
         created_at TEXT NOT NULL,
         PRIMARY KEY (scope, key)
       )`,
    ],
  },
  {
    id: '003-identity-read-models',
    up: () => [
      `CREATE TABLE rm_projects (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, quotas TEXT NOT NULL, usage TEXT NOT NULL,
         created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE rm_users (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, status TEXT NOT NULL, password_hash TEXT NOT NULL,
         created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE TABLE rm_user_roles (user_id TEXT NOT NULL, project_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (user_id, project_id))`,
      `CREATE INDEX rm_user_roles_project ON rm_user_roles (project_id)`,
      `CREATE TABLE rm_tokens (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, project_id TEXT NOT NULL, secret_hash TEXT NOT NULL,
         expires_at TEXT NOT NULL, revoked INTEGER NOT NULL, issued_at TEXT NOT NULL)`,
      `CREATE TABLE rm_access_keys (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, project_id TEXT NOT NULL,
         secret_ciphertext TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE INDEX rm_access_keys_user ON rm_access_keys (user_id)`,
    ],
  },
];

/** Applies pending migrations, each in its own transaction; safe when several processes start at once. */
export async function runMigrations(db: Database): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7262000)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.up(db.dialect)) await tx.query(statement);
      await tx.query(`INSERT INTO schema_migrations (id, applied_at) VALUES (${db.param(1)}, ${db.param(2)})`, [migration.id, new Date().toISOString()]);
      applied.push(migration.id);
    }
  });
  return applied;
}
