import { Client } from 'pg';

/** The server the tests use; scripts/test.sh makes sure it runs. */
export const PG_ADMIN_URL = process.env.ORCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether a connection to the server (the tests' own, or the one at `url`) can be made and answers now. */
export async function postgresReachable(url = PG_ADMIN_URL): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the PostgreSQL suites run. In CI a missing server is a failure, never a skip;
 * elsewhere the suite skips with a loud line.
 */
export async function postgresAvailableOrSkip(suite: string): Promise<boolean> {
  if (await postgresReachable()) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: PostgreSQL is not reachable at ${PG_ADMIN_URL} and CI=true forbids skipping`);
  process.stdout.write(`\nSKIPPED ${suite}: PostgreSQL not reachable at ${PG_ADMIN_URL}\n`);
  return false;
}

/** A fresh, empty database; returns its URL and a function that drops it. */
export async function createTestDatabase(prefix = 'orch_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
