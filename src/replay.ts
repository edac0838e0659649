import 'reflect-metadata';
import { createEventStore } from './infrastructure/event-store/event-store.factory';
import { loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { openDatabase } from './infrastructure/persistence/open-database';
import { ProjectionRunner } from './infrastructure/projections/projection-runner';
import { PROJECTIONS } from './projections';

/**
 * npm run replay: empties every read model and rebuilds it from position 0 of the log, on the
 * configured store (ORCH_STORE, ORCH_DATA_DIR / ORCH_DATABASE_URL). Run it with the app stopped.
 * Prints the rate at the end.
 */
async function replay(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const db = await openDatabase(config);
  const store = createEventStore(db);
  try {
    const runner = new ProjectionRunner(db, store, PROJECTIONS, logger, 1000);
    const head = await store.headPosition();
    logger.info('replay: resetting read models', { projections: PROJECTIONS.map((p) => p.name), head });
    await runner.reset();
    const started = process.hrtime.bigint();
    const processed = await runner.catchUp();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = Math.round(processed / Math.max(seconds, 1e-9));
    logger.info('replay: done', { events: processed, seconds: Math.round(seconds * 1000) / 1000, eventsPerSecond: rate });
    process.stdout.write(`replayed ${processed} events (${PROJECTIONS.length} projections) in ${seconds.toFixed(3)} s: ${rate} events/s\n`);
  } finally {
    await store.close();
    await db.close();
  }
}

replay().catch((error: unknown) => {
  process.stderr.write(`replay failed: ${String(error)}\n`);
  process.exit(1);
});
