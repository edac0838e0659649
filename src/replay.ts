import 'reflect-metadata';
import { createEventStore } from './infrastructure/event-store/event-store.factory';
import { loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { openDatabase } from './infrastructure/persistence/open-database';
import { openScratchDatabase } from './infrastructure/persistence/scratch-database';
import { rebuildAndCompare } from './infrastructure/projections/projection-rebuild';
import { PROJECTIONS } from './infrastructure/read-models/projections';

/**
 * npm run replay: rebuilds every projection from position 0 of the log into fresh tables (a
 * scratch schema / SQLite file, dropped afterwards) and checks that they equal the live read
 * models of the configured store (ORCH_STORE, ORCH_DATA_DIR / ORCH_DATABASE_URL), on ORCH_REPLAY_THREADS threads. The orchestrator
 * may keep running. Prints the rate and each table's verdict; exits 1 when a table differs.
 */
async function replay(): Promise<boolean> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const db = await openDatabase(config);
  const store = createEventStore(db);
  const scratch = await openScratchDatabase(config, db);
  try {
    logger.info('replay: rebuilding read models', { projections: PROJECTIONS.map((p) => p.name), into: scratch.where, head: await store.headPosition() });
    const report = await rebuildAndCompare(db, store, scratch.db, PROJECTIONS, logger, { threads: config.replayThreads });
    logger.info('replay: done', { ...report });
    const out = process.stdout;
    out.write(
      `replayed ${report.events} events (${PROJECTIONS.length} projections, ${report.threads} threads) in ${report.replaySeconds.toFixed(3)} s: ${report.eventsPerSecond} events/s\n`,
    );
    for (const t of report.tables) {
      const verdict = t.equal ? 'equal' : `DIFFERS (live ${t.liveRows} rows, replayed ${t.replayedRows}; first ${JSON.stringify(t.firstDifference)})`;
      out.write(`  ${t.table.padEnd(20)} ${String(t.liveRows).padStart(9)} rows  ${verdict}\n`);
    }
    out.write(report.equal ? 'read models equal their replay\n' : 'read models DIFFER from their replay\n');
    return report.equal;
  } finally {
    await scratch.discard();
    await store.close();
    await db.close();
  }
}

replay().then(
  (equal) => process.exit(equal ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`replay failed: ${String(error)}\n`);
    process.exit(2);
  },
);
