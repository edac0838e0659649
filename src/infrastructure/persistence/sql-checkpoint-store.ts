import { CheckpointStore } from '../../application/ports/checkpoint-store.port';
import { Database } from './database';

/** relay_checkpoints (migration 013): one position per follower, written after each batch. */
export class SqlCheckpointStore implements CheckpointStore {
  constructor(private readonly db: Database) {}

  async get(name: string): Promise<number> {
    const rows = await this.db.query<{ position: number | string }>(`SELECT position FROM relay_checkpoints WHERE name = ${this.db.param(1)}`, [name]);
    return Number(rows[0]?.position ?? 0);
  }

  async save(name: string, position: number): Promise<void> {
    await this.db.transaction((tx) =>
      tx.query(
        `INSERT INTO relay_checkpoints (name, position) VALUES (${this.db.param(1)}, ${this.db.param(2)})
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
        [name, position],
      ),
    );
  }
}
