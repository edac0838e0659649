import { Migration } from './migration';

/** Shipped as "002-projections-and-idempotency", which also created rm_checkpoints: read-model tables are now declared (read-model-schema.ts). */
export const idempotencyKeys: Migration = {
  id: '002-projections-and-idempotency',
  up: () => [
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
};
