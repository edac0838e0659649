import { createHash } from 'node:crypto';
import { Database, Tx } from '../database';
import { ensureReadModelSchema } from '../read-model-schema';
import { eventLog } from './001-event-log';
import { idempotencyKeys } from './002-idempotency-keys';
import { hashChain } from './012-hash-chain';
import { relayAndBilling } from './013-relay-and-billing';
import { eventTimeColumn } from './014-event-time-column';
import { clusterMembers } from './015-cluster-members';
import { APPEND_BATCH_FUNCTION } from './append-batch.function';
import { Migration } from './migration';

/**
 * Ordered, append-only: never edit a migration that has shipped; add a new one. Migrations hold
 * the log and what is not derived from it (idempotency keys, the relay's checkpoint, billing).
 * Read-model tables are declared beside their projections and made from those declarations
 * (read-model-schema.ts); the ids 003 to 011 that created them, and the first append function,
 * stay recorded in databases made before.
 */
const MIGRATIONS: readonly Migration[] = [eventLog, idempotencyKeys, hashChain, relayAndBilling, eventTimeColumn, clusterMembers];

/**
 * Applies pending migrations in one transaction, safe when several processes start at once; then
 * the append function if its text changed, and the read-model tables if their declarations
 * changed. `through`: stop after that migration (a test of the next one starts from there).
 * Returns the ids of the migrations it applied.
 */
export async function runMigrations(db: Database, through?: string): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7262000)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
    const record = (id: string) =>
      tx.query(`INSERT INTO schema_migrations (id, applied_at) VALUES (${db.param(1)}, ${db.param(2)})`, [id, new Date().toISOString()]);
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.up(db.dialect)) await tx.query(statement);
      await migration.data?.(tx, db.dialect);
      await record(migration.id);
      applied.push(migration.id);
      if (migration.id === through) break;
    }
    if (db.dialect === 'postgres') await applyOnChange(tx, done, record, 'function:orch_append_batch', APPEND_BATCH_FUNCTION);
    await ensureReadModelSchema(db, tx, done, record);
  });
  return applied;
}

/** Runs `sql` (idempotent: CREATE OR REPLACE) unless this very text was applied before. */
async function applyOnChange(tx: Tx, done: ReadonlySet<string>, record: (id: string) => Promise<unknown>, name: string, sql: string): Promise<void> {
  const id = `${name}:${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`;
  if (done.has(id)) return;
  await tx.query(sql);
  await record(id);
}
