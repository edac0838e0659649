import { createHash } from 'node:crypto';
import { EntityMetadata } from 'typeorm';
import { Database, Tx } from './database';

const SQL_TYPES: Record<string, string> = { text: 'TEXT', 'simple-json': 'TEXT', integer: 'INTEGER', bigint: 'BIGINT' };

/** The DDL of one read-model table, from its entity's declaration (the same on SQLite and PostgreSQL). */
function tableDdl(m: EntityMetadata): string[] {
  const name = (c: { databaseName: string }) => c.databaseName;
  const columns = m.columns.map((c) => {
    const type = SQL_TYPES[String(c.type)];
    if (!type) throw new Error(`${m.tableName}.${c.databaseName}: no SQL type for ${String(c.type)}`);
    return `${c.databaseName} ${type} ${c.isNullable ? 'NULL' : 'NOT NULL'}`;
  });
  const constraints = [`PRIMARY KEY (${m.primaryColumns.map(name).join(', ')})`, ...m.uniques.map((u) => `UNIQUE (${u.columns.map(name).join(', ')})`)];
  const indexes = m.indices.map((i) => {
    const cols = i.columns.map(name);
    return `CREATE ${i.isUnique ? 'UNIQUE ' : ''}INDEX ${m.tableName}_${cols.join('_')} ON ${m.tableName} (${cols.join(', ')})`;
  });
  return [`CREATE TABLE ${m.tableName} (${[...columns, ...constraints].join(', ')})`, ...indexes];
}

/**
 * Makes the read-model tables match their declarations (the TypeORM entities beside each
 * projection). Read models are derived from the log, so a change of declaration needs no
 * migration: every `rm_` table is dropped and made anew, checkpoints included, and the
 * projections rebuild them from position 0 when they start. The declarations' fingerprint is
 * recorded with the migrations, so this happens once per change.
 */
export async function ensureReadModelSchema(db: Database, tx: Tx, done: ReadonlySet<string>, record: (id: string) => Promise<unknown>): Promise<void> {
  const ddl = [...db.writer.entityMetadatas].sort((a, b) => a.tableName.localeCompare(b.tableName)).flatMap(tableDdl);
  const id = `read-models:${createHash('sha256').update(ddl.join(';\n')).digest('hex').slice(0, 16)}`;
  if (done.has(id)) return;
  const existing =
    db.dialect === 'postgres'
      ? await tx.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'rm\\_%'`)
      : await tx.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\'`);
  for (const { name } of existing) await tx.query(`DROP TABLE ${name}`);
  for (const statement of ddl) await tx.query(statement);
  await record(id);
}
