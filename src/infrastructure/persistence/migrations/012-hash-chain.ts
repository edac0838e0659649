import { backfillHashChain } from '../../event-store/sql/hash-chain-backfill';
import { Migration } from './migration';

export const hashChain: Migration = {
  id: '012-hash-chain',
  // Tamper evidence: every event's hash covers its content and the previous event's hash
  // (see hash-chain.ts). PostgreSQL computes it in the append function (append-batch.function.ts).
  up: () => [`ALTER TABLE events ADD COLUMN hash TEXT NULL`],
  data: (tx, d) => backfillHashChain(tx, d),
};
