import { IdempotencyClaim, IdempotencyStore, StoredResponse } from '../../application/ports/idempotency.port';
import { Database } from './database';

type Row = { request_hash: string; status: string; response_status: number | null; response_body: string | null; created_at: string };

/** A claim left pending this long (its request's process died) may be taken over. */
const PENDING_EXPIRY_MS = 60_000;

/** Idempotency keys in the same database as the events, so they survive restarts like the events do. */
export class SqlIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Database) {}

  async claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const p = (n: number) => this.db.param(n);
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<Row>(
        `SELECT request_hash, status, response_status, response_body, created_at FROM idempotency_keys WHERE scope = ${p(1)} AND key = ${p(2)}${
          this.db.dialect === 'postgres' ? ' FOR UPDATE' : ''
        }`,
        [scope, key],
      );
      const now = new Date();
      const existing = rows[0];
      if (!existing) {
        const inserted = await tx.query<{ key: string }>(
          `INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, 'pending', ${p(4)})
           ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
          [scope, key, requestHash, now.toISOString()],
        );
        if (inserted.length === 1) return { outcome: 'claimed' };
        // Another request (on another process, say) claimed the key between our read and our insert:
        // only the insert that took tells who holds it, as the row looks the same to both.
        const theirs = await tx.query<Row>(`SELECT request_hash, status FROM idempotency_keys WHERE scope = ${p(1)} AND key = ${p(2)}`, [scope, key]);
        return theirs[0]?.request_hash === requestHash ? { outcome: 'in_progress' } : { outcome: 'mismatch' };
      }
      if (existing.request_hash !== requestHash) return { outcome: 'mismatch' };
      if (existing.status === 'done') {
        return { outcome: 'replay', response: { status: Number(existing.response_status), body: JSON.parse(existing.response_body ?? 'null') } };
      }
      if (now.getTime() - Date.parse(existing.created_at) > PENDING_EXPIRY_MS) {
        await tx.query(`UPDATE idempotency_keys SET created_at = ${p(1)} WHERE scope = ${p(2)} AND key = ${p(3)}`, [now.toISOString(), scope, key]);
        return { outcome: 'claimed' };
      }
      return { outcome: 'in_progress' };
    });
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const p = (n: number) => this.db.param(n);
    await this.db.transaction((tx) =>
      tx.query(`UPDATE idempotency_keys SET status = 'done', response_status = ${p(1)}, response_body = ${p(2)} WHERE scope = ${p(3)} AND key = ${p(4)}`, [
        response.status,
        JSON.stringify(response.body ?? null),
        scope,
        key,
      ]),
    );
  }

  async abandon(scope: string, key: string): Promise<void> {
    const p = (n: number) => this.db.param(n);
    await this.db.transaction((tx) => tx.query(`DELETE FROM idempotency_keys WHERE scope = ${p(1)} AND key = ${p(2)} AND status = 'pending'`, [scope, key]));
  }
}
