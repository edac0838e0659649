import { Database, Dialect, Tx } from './database';
import { backfillHashChain } from '../event-store/sql/hash-chain-backfill';

/** Schema statements, then (optionally) a data step in the same transaction. */
type Migration = { id: string; up: (dialect: Dialect) => string[]; data?: (tx: Tx, dialect: Dialect) => Promise<void> };

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
  {
    id: '004-append-batch-function',
    // PostgreSQL: a group of appends in one statement (one round trip, its own transaction).
    // Expected versions: -1 any, 0 no stream, n the stream's current version. Data and metadata
    // come as one JSON array each (cheaper to send than arrays of jsonb). Returns, per append
    // (1-based), the stream's version before it and the positions written (NULL if refused).
    up: (d) =>
      d !== 'postgres'
        ? []
        : [
            `CREATE FUNCTION orch_append_batch(p_streams text[], p_expected int[], p_counts int[], p_ids uuid[], p_types text[],
               p_schema_versions int[], p_data jsonb, p_metadata jsonb, p_projects text[])
             RETURNS TABLE (append_index int, actual int, positions bigint[])
             LANGUAGE plpgsql AS $fn$
             DECLARE
               heads jsonb := '{}'::jsonb;
               offs int := 0;
               cur int;
               n int;
             BEGIN
               -- Held until commit, i.e. until these events are visible: positions become visible in order.
               PERFORM pg_advisory_xact_lock(7262001);
               FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
                 n := p_counts[i];
                 IF heads ? p_streams[i] THEN
                   cur := (heads ->> p_streams[i])::int;
                 ELSE
                   SELECT coalesce((SELECT e.version FROM events e WHERE e.stream = p_streams[i] ORDER BY e.version DESC LIMIT 1), 0) INTO cur;
                 END IF;
                 append_index := i;
                 actual := cur;
                 IF p_expected[i] = -1 OR p_expected[i] = cur THEN
                   WITH inserted AS (
                     INSERT INTO events (id, stream, version, type, schema_version, data, metadata, project_id)
                     SELECT p_ids[offs + k], p_streams[i], cur + k, p_types[offs + k], p_schema_versions[offs + k],
                            p_data -> (offs + k - 1), p_metadata -> (offs + k - 1), p_projects[offs + k]
                     FROM generate_series(1, n) AS k
                     ORDER BY k
                     RETURNING position
                   )
                   SELECT array_agg(position ORDER BY position) INTO positions FROM inserted;
                   heads := heads || jsonb_build_object(p_streams[i], cur + n);
                 ELSE
                   positions := NULL;
                 END IF;
                 offs := offs + n;
                 RETURN NEXT;
               END LOOP;
             END
             $fn$`,
          ],
  },
  {
    id: '005-compute-network-read-models',
    up: () => [
      `CREATE TABLE rm_flavors (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, vcpus INTEGER NOT NULL,
         ram_mib INTEGER NOT NULL, disk_gib INTEGER NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE rm_images (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, os TEXT NOT NULL,
         min_disk_gib INTEGER NOT NULL, source TEXT NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE rm_keypairs (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL,
         public_key TEXT NOT NULL, fingerprint TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (project_id, name_key))`,
      `CREATE TABLE rm_hosts (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, driver TEXT NOT NULL, uri TEXT NULL,
         zone TEXT NOT NULL, enabled INTEGER NOT NULL, capacity TEXT NOT NULL, ratios TEXT NOT NULL, used TEXT NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE rm_networks (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, cidr TEXT NOT NULL,
         gateway TEXT NOT NULL, vlan INTEGER NOT NULL, used_ips INTEGER NOT NULL, created_at TEXT NOT NULL, UNIQUE (project_id, name_key))`,
    ],
  },
  {
    id: '006-instances-operations-ports',
    up: () => [
      `CREATE TABLE rm_instances (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, flavor TEXT NOT NULL, image_id TEXT NOT NULL,
         vm_state TEXT NOT NULL, task_state TEXT NULL, power_state TEXT NOT NULL, host_id TEXT NULL, addresses TEXT NOT NULL, networks TEXT NOT NULL,
         volumes TEXT NOT NULL, failure TEXT NULL, operation_id TEXT NOT NULL, released INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE INDEX rm_instances_project ON rm_instances (project_id, id)`,
      `CREATE INDEX rm_instances_operation ON rm_instances (operation_id)`,
      `CREATE TABLE rm_operations (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL, instance_ids TEXT NOT NULL, created_at TEXT NOT NULL)`,
      `CREATE TABLE rm_ports (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, network_id TEXT NOT NULL, mac TEXT NOT NULL, ip TEXT NOT NULL,
         instance_id TEXT NULL, host_id TEXT NULL, status TEXT NOT NULL, security_groups TEXT NOT NULL)`,
    ],
  },
  {
    id: '007-volumes',
    up: () => [
      `ALTER TABLE rm_operations ADD COLUMN volume_ids TEXT NOT NULL DEFAULT '[]'`,
      `CREATE TABLE rm_volumes (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, size_gib INTEGER NOT NULL, status TEXT NOT NULL,
         instance_id TEXT NULL, device TEXT NULL, boot_for TEXT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE INDEX rm_volumes_project ON rm_volumes (project_id, id)`,
      `CREATE INDEX rm_volumes_instance ON rm_volumes (instance_id)`,
    ],
  },
  {
    id: '008-security-groups',
    up: () => [
      `CREATE TABLE rm_security_groups (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL, rules TEXT NOT NULL,
         created_at TEXT NOT NULL)`,
      `CREATE INDEX rm_security_groups_project ON rm_security_groups (project_id, name_key)`,
      `CREATE INDEX rm_ports_host ON rm_ports (host_id)`,
    ],
  },
  {
    id: '009-floating-ips',
    up: () => [
      `CREATE TABLE rm_floating_ips (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, address TEXT NOT NULL, instance_id TEXT NULL, port_id TEXT NULL,
         fixed_ip TEXT NULL, created_at TEXT NOT NULL)`,
      `CREATE INDEX rm_floating_ips_project ON rm_floating_ips (project_id, id)`,
      `CREATE INDEX rm_floating_ips_instance ON rm_floating_ips (instance_id)`,
      `CREATE INDEX rm_floating_ips_port ON rm_floating_ips (port_id)`,
    ],
  },
  {
    id: '010-snapshots',
    up: () => [
      `CREATE TABLE rm_snapshots (id TEXT PRIMARY KEY, volume_id TEXT NOT NULL, project_id TEXT NOT NULL, name TEXT NOT NULL, size_gib INTEGER NOT NULL,
         status TEXT NOT NULL, failure TEXT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      `CREATE INDEX rm_snapshots_volume ON rm_snapshots (volume_id, id)`,
      `CREATE INDEX rm_snapshots_status ON rm_snapshots (status)`,
      `ALTER TABLE rm_operations ADD COLUMN snapshot_ids TEXT NOT NULL DEFAULT '[]'`,
    ],
  },
  {
    id: '011-host-agents',
    up: () => [`ALTER TABLE rm_hosts ADD COLUMN agent_id TEXT NULL`],
  },
  {
    id: '012-hash-chain',
    // Tamper evidence: every event's hash covers its content and the previous event's hash
    // (see hash-chain.ts). PostgreSQL computes it in the append function, inside the append lock.
    up: (d) => [
      `ALTER TABLE events ADD COLUMN hash TEXT NULL`,
      ...(d !== 'postgres'
        ? []
        : [
            `CREATE OR REPLACE FUNCTION orch_append_batch(p_streams text[], p_expected int[], p_counts int[], p_ids uuid[], p_types text[],
               p_schema_versions int[], p_data jsonb, p_metadata jsonb, p_projects text[])
             RETURNS TABLE (append_index int, actual int, positions bigint[])
             LANGUAGE plpgsql AS $fn$
             DECLARE
               heads jsonb := '{}'::jsonb;
               offs int := 0;
               cur int;
               n int;
               prev text;
               pos bigint;
               d jsonb;
               m jsonb;
               seq text := pg_get_serial_sequence('events', 'position');
             BEGIN
               -- Held until commit, i.e. until these events are visible: positions become visible in order.
               PERFORM pg_advisory_xact_lock(7262001);
               SELECT e.hash INTO prev FROM events e ORDER BY e.position DESC LIMIT 1;
               prev := coalesce(prev, '');
               FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
                 n := p_counts[i];
                 IF heads ? p_streams[i] THEN
                   cur := (heads ->> p_streams[i])::int;
                 ELSE
                   SELECT coalesce((SELECT e.version FROM events e WHERE e.stream = p_streams[i] ORDER BY e.version DESC LIMIT 1), 0) INTO cur;
                 END IF;
                 append_index := i;
                 actual := cur;
                 IF p_expected[i] = -1 OR p_expected[i] = cur THEN
                   positions := ARRAY[]::bigint[];
                   FOR k IN 1 .. n LOOP
                     pos := nextval(seq);
                     d := p_data -> (offs + k - 1);
                     m := p_metadata -> (offs + k - 1);
                     prev := encode(sha256(convert_to(concat_ws(E'\n', prev, pos::text, p_ids[offs + k]::text, p_streams[i], (cur + k)::text,
                               p_types[offs + k], p_schema_versions[offs + k]::text, d::text, m::text), 'UTF8')), 'hex');
                     INSERT INTO events (position, id, stream, version, type, schema_version, data, metadata, project_id, hash)
                     VALUES (pos, p_ids[offs + k], p_streams[i], cur + k, p_types[offs + k], p_schema_versions[offs + k], d, m, p_projects[offs + k], prev);
                     positions := positions || pos;
                   END LOOP;
                   heads := heads || jsonb_build_object(p_streams[i], cur + n);
                 ELSE
                   positions := NULL;
                 END IF;
                 offs := offs + n;
                 RETURN NEXT;
               END LOOP;
             END
             $fn$`,
          ]),
    ],
    data: (tx, d) => backfillHashChain(tx, d),
  },
  {
    id: '013-relay-and-billing',
    up: () => [
      `CREATE TABLE relay_checkpoints (name TEXT PRIMARY KEY, position BIGINT NOT NULL)`,
      `CREATE TABLE billing_metered (event_id TEXT PRIMARY KEY)`,
      `CREATE TABLE billing_clocks (resource_id TEXT PRIMARY KEY, meter TEXT NOT NULL, project_id TEXT NOT NULL, rate_key TEXT NOT NULL,
         units BIGINT NOT NULL, since TEXT NULL)`,
      `CREATE TABLE billing_usage (project_id TEXT NOT NULL, hour TEXT NOT NULL, meter TEXT NOT NULL, resource_id TEXT NOT NULL, rate_key TEXT NOT NULL,
         quantity BIGINT NOT NULL, PRIMARY KEY (project_id, hour, meter, resource_id))`,
    ],
  },
  {
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
  },
];

/**
 * Applies pending migrations, each in its own transaction; safe when several processes start at
 * once. `through`: stop after that one (a test of the next one starts from there).
 */
export async function runMigrations(db: Database, through?: string): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7262000)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.up(db.dialect)) await tx.query(statement);
      await migration.data?.(tx, db.dialect);
      await tx.query(`INSERT INTO schema_migrations (id, applied_at) VALUES (${db.param(1)}, ${db.param(2)})`, [migration.id, new Date().toISOString()]);
      applied.push(migration.id);
      if (migration.id === through) break;
    }
  });
  return applied;
}
