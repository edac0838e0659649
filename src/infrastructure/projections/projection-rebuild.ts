import { EventStore } from '../../application/ports/event-store.port';
import { Database } from '../persistence/database';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { compareTable, TableComparison } from './read-model-comparison';

type Log = { info(message: string, fields?: Record<string, unknown>): void; error(message: string, fields?: Record<string, unknown>): void };

export type RebuildReport = {
  /** Events read from the log while rebuilding (from position 0 up to the live checkpoints). */
  readonly events: number;
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly compareSeconds: number;
  /** The live projections' checkpoints the copies were rebuilt up to. */
  readonly positions: Readonly<Record<string, number>>;
  readonly tables: readonly TableComparison[];
  readonly equal: boolean;
};

const PROGRESS_EVERY_MS = 2_000;

/**
 * Rebuilds every projection from position 0 into `scratch` (empty read-model tables) and compares
 * the result with the live read models. Everything live is read in one snapshot: each copy is
 * rebuilt up to the checkpoint its live projection had in that snapshot, so a running orchestrator
 * may keep writing meanwhile.
 */
export async function rebuildAndCompare(
  live: Database,
  store: EventStore,
  scratch: Database,
  projections: readonly Projection[],
  log: Log,
  batchSize = 2_000,
): Promise<RebuildReport> {
  return live.readSnapshot(async (query) => {
    const rows = await query<{ name: string; position: number | string }>('SELECT name, position FROM rm_checkpoints');
    const checkpoint = (p: Projection) => Number(rows.find((r) => r.name === p.name)?.position ?? 0);
    const positions = Object.fromEntries(projections.map((p) => [p.name, checkpoint(p)]));

    const started = process.hrtime.bigint();
    let events = 0;
    for (const until of [...new Set(Object.values(positions))].sort((a, b) => a - b)) {
      const group = projections.filter((p) => checkpoint(p) === until);
      const runner = new ProjectionRunner(scratch, store, group, log, batchSize);
      let reported = Date.now();
      const read = await runner.catchUp(until, (replayed, position) => {
        if (Date.now() - reported < PROGRESS_EVERY_MS) return;
        reported = Date.now();
        log.info('replay: progress', { projections: group.map((p) => p.name), events: replayed, position, until });
      });
      events = Math.max(events, read);
    }
    const replaySeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const comparing = process.hrtime.bigint();
    const tables: TableComparison[] = [];
    for (const table of projections.flatMap((p) => p.tables)) tables.push(await compareTable(query, scratch, table));
    const compareSeconds = Number(process.hrtime.bigint() - comparing) / 1e9;
    return {
      events,
      replaySeconds,
      eventsPerSecond: Math.round(events / Math.max(replaySeconds, 1e-9)),
      compareSeconds,
      positions,
      tables,
      equal: tables.every((t) => t.equal),
    };
  });
}
