import { IntegrityReport, LogIntegrity } from '../../../application/ports/log-integrity.port';
import { Database } from '../../persistence/database';
import { ChainRowRaw, chainRowsQuery, toChainedRow } from './chain-rows';
import { GENESIS, chainHash } from './hash-chain';

const BATCH = 5_000;

/**
 * Walks the log in position order, recomputing each event's hash from its stored content and the
 * previous event's stored hash. The first mismatch is where the log was changed: a row altered
 * there, or a row removed before it or inserted there (the chain links each row to the one before).
 */
export class ChainVerifier implements LogIntegrity {
  constructor(private readonly db: Database) {}

  async verify(): Promise<IntegrityReport> {
    let previous = GENESIS;
    let after = 0;
    let checked = 0;
    for (;;) {
      const rows = await this.db.query<ChainRowRaw>(chainRowsQuery(this.db.dialect, BATCH), [after]);
      if (rows.length === 0) return { ok: true, checked, headPosition: after, headHash: previous };
      for (const raw of rows) {
        const row = toChainedRow(raw);
        const expected = chainHash(previous, row);
        if (raw.hash !== expected) {
          const reason =
            raw.hash === null
              ? 'the event has no hash (it was not written by the store)'
              : 'its hash does not match its content and the previous event’s hash: this row was altered, or one was removed before it or inserted here';
          return { ok: false, checked, firstBadPosition: row.position, reason };
        }
        previous = raw.hash;
        after = row.position;
        checked++;
      }
    }
  }
}
