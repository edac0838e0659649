import { Migration } from './migration';

export const relayAndBilling: Migration = {
  id: '013-relay-and-billing',
  up: () => [
    `CREATE TABLE relay_checkpoints (name TEXT PRIMARY KEY, position BIGINT NOT NULL)`,
    `CREATE TABLE billing_metered (event_id TEXT PRIMARY KEY)`,
    `CREATE TABLE billing_clocks (resource_id TEXT PRIMARY KEY, meter TEXT NOT NULL, project_id TEXT NOT NULL, rate_key TEXT NOT NULL,
       units BIGINT NOT NULL, since TEXT NULL)`,
    `CREATE TABLE billing_usage (project_id TEXT NOT NULL, hour TEXT NOT NULL, meter TEXT NOT NULL, resource_id TEXT NOT NULL, rate_key TEXT NOT NULL,
       quantity BIGINT NOT NULL, PRIMARY KEY (project_id, hour, meter, resource_id))`,
  ],
};
