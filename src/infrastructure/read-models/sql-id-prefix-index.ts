import { IdPrefixIndex, IndexedKind } from '../../application/ports/id-prefix-index.port';
import { Database } from '../persistence/database';

const TABLES: Record<IndexedKind, string> = {
  instance: 'rm_instances',
  image: 'rm_images',
  volume: 'rm_volumes',
  snapshot: 'rm_snapshots',
  'security-group': 'rm_security_groups',
  network: 'rm_networks',
  'floating-ip': 'rm_floating_ips',
};

/**
 * A range on the primary key (prefix ≤ id < prefix + "g"), which both databases answer from the
 * key's index whatever the collation, unlike LIKE: what follows a prefix of hex digits is hex digits,
 * all below "g" in every collation (a punctuation bound would be ignored by PostgreSQL's en_US).
 */
export class SqlIdPrefixIndex implements IdPrefixIndex {
  constructor(private readonly db: Database) {}

  async idsStartingWith(kind: IndexedKind, prefix: string, limit: number): Promise<string[]> {
    if (!/^[a-z]+-[0-9a-f]+$/.test(prefix)) return [];
    const [p1, p2, p3] = [1, 2, 3].map((n) => this.db.param(n));
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM ${TABLES[kind]} WHERE id >= ${p1} AND id < ${p2} ORDER BY id LIMIT ${p3}`, [
      prefix,
      `${prefix}g`,
      limit,
    ]);
    return rows.map((r) => r.id);
  }

  async exists(kind: IndexedKind, id: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM ${TABLES[kind]} WHERE id = ${this.db.param(1)}`, [id]);
    return rows.length > 0;
  }
}
