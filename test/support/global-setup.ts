import { postgresReachable, PG_ADMIN_URL } from './postgres';

/**
 * Decides once, before any worker starts, whether PostgreSQL suites run. The answer reaches the
 * workers through the environment. With CI=true an unreachable server fails the run.
 */
export default async function globalSetup(): Promise<void> {
  const reachable = await postgresReachable();
  if (!reachable && process.env.CI === 'true') {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN_URL}; CI=true forbids skipping its suites`);
  }
  process.env.ORCH_TEST_PG = reachable ? '1' : '0';
  if (!reachable) process.stdout.write(`\n!!! SKIPPED: every PostgreSQL suite (not reachable at ${PG_ADMIN_URL}) !!!\n`);
}
