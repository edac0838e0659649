import { startWorkerThread } from '../system/worker-thread';
import { EventStore, typeSelector } from '../../application/ports/event-store.port';
import { Database, DatabaseLocation } from '../persistence/database';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { compareTable, TableComparison } from './read-model-comparison';

type Log = { info(message: string, fields?: Record<string, unknown>): void; error(message: string, fields?: Record<string, unknown>): void };

export type RebuildReport = {
  /** Events of the log from position 0 up to the highest live checkpoint: what the replay covered. */
  readonly events: number;
  readonly threads: number;
  readonly replaySeconds: number;
  readonly eventsPerSecond: number;
  readonly compareSeconds: number;
  /** The live projections' checkpoints the copies were rebuilt up to. */
  readonly positions: Readonly<Record<string, number>>;
  readonly tables: readonly TableComparison[];
  readonly equal: boolean;
};

export type RebuildOptions = {
  /** Events per read of the log. */
  readonly batchSize?: number;
  /** Threads the projections are shared among (this one and workers); at most one per projection. */
  readonly threads?: number;
};

/** One thread's share of a rebuild: catch-ups of projections (by name), each up to its position, in order. */
export type RebuildShare = { readonly runs: ReadonlyArray<{ readonly projections: readonly string[]; readonly until: number }> };

/** What a worker thread is given (see replay-thread.ts). */
export type RebuildThreadData = RebuildShare & { readonly live: DatabaseLocation; readonly scratch: DatabaseLocation; readonly batchSize: number };

/** What a worker thread posts back. */
export type RebuildThreadMessage = { readonly kind: 'progress'; readonly replayed: number; readonly position: number } | { readonly kind: 'done' };

const PROGRESS_EVERY_MS = 2_000;

/**
 * Rebuilds every projection from position 0 into `scratch` (empty read-model tables) and compares
 * the result with the live read models. Everything live is read in one snapshot: each copy is
 * rebuilt up to the checkpoint its live projection had in that snapshot, so a running orchestrator
 * may keep writing meanwhile.
 *
 * The projections are shared among `threads` threads, balanced by how many events of the log each
 * folds; every thread reads the log itself, only the types its projections fold, and writes its
 * tables of `scratch` (this thread through `live`'s store, the others through connections of their
 * own). The log below a live checkpoint never changes, so threads outside the snapshot read what
 * it would.
 */
export async function rebuildAndCompare(
  live: Database,
  store: EventStore,
  scratch: Database,
  projections: readonly Projection[],
  log: Log,
  { batchSize = 2_000, threads = 1 }: RebuildOptions = {},
): Promise<RebuildReport> {
  return live.readSnapshot(async (query) => {
    const rows = await query<{ name: string; position: number | string }>('SELECT name, position FROM rm_checkpoints');
    const checkpoint = (p: Projection) => Number(rows.find((r) => r.name === p.name)?.position ?? 0);
    const positions = Object.fromEntries(projections.map((p) => [p.name, checkpoint(p)]));

    const started = process.hrtime.bigint();
    const through = Math.max(0, ...Object.values(positions));
    const counts = await query<{ type: string; n: number | string }>(
      `SELECT type, COUNT(*) AS n FROM events WHERE position <= ${live.param(1)} GROUP BY type`,
      [through],
    );
    const events = counts.reduce((sum, c) => sum + Number(c.n), 0);
    const shares = shareOut(projections, counts, threads).map((group) => sharePlan(group, checkpoint));
    const progress = progressLog(log);
    // Every thread runs to its end before a failure is reported: none is left writing to the scratch copy.
    const outcomes = await Promise.allSettled(
      shares.map((share, i) =>
        i === 0
          ? rebuildShare(share, scratch, store, projections, log, batchSize, progress(i))
          : rebuildInThread({ ...share, live: live.location, scratch: scratch.location, batchSize }, progress(i)),
      ),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const replaySeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const comparing = process.hrtime.bigint();
    const tables: TableComparison[] = [];
    for (const table of projections.flatMap((p) => p.tables)) tables.push(await compareTable(query, scratch, table));
    const compareSeconds = Number(process.hrtime.bigint() - comparing) / 1e9;
    return {
      events,
      threads: shares.length,
      replaySeconds,
      eventsPerSecond: Math.round(events / Math.max(replaySeconds, 1e-9)),
      compareSeconds,
      positions,
      tables,
      equal: tables.every((t) => t.equal),
    };
  });
}

/**
 * The projections in at most `threads` groups (none empty), the heaviest first, each projection
 * weighed by the events of the log it folds: the heaviest go first, each to the lightest group.
 */
export function shareOut(projections: readonly Projection[], counts: ReadonlyArray<{ type: string; n: number | string }>, threads: number): Projection[][] {
  const weight = (p: Projection) => {
    const selects = typeSelector(p.reads);
    return counts.reduce((sum, c) => (selects(c.type) ? sum + Number(c.n) : sum), 0);
  };
  const weighed = projections.map((p) => ({ p, weight: weight(p) })).sort((a, b) => b.weight - a.weight);
  const groups = Array.from({ length: Math.max(1, Math.min(threads, projections.length)) }, () => ({ weight: 0, projections: [] as Projection[] }));
  for (const { p, weight } of weighed) {
    const lightest = groups.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.projections.push(p);
    lightest.weight += weight;
  }
  return groups.filter((g) => g.projections.length > 0).map((g) => g.projections);
}

/** One catch-up per distinct live checkpoint of the group, lowest first. */
function sharePlan(group: readonly Projection[], checkpoint: (p: Projection) => number): RebuildShare {
  const untils = [...new Set(group.map(checkpoint))].sort((a, b) => a - b);
  return { runs: untils.map((until) => ({ until, projections: group.filter((p) => checkpoint(p) === until).map((p) => p.name) })) };
}

type Progress = (replayed: number, position: number) => void;

/** Logs a thread's progress every PROGRESS_EVERY_MS at most. */
function progressLog(log: Log): (thread: number) => Progress {
  return (thread) => {
    let reported = Date.now();
    return (replayed, position) => {
      if (Date.now() - reported < PROGRESS_EVERY_MS) return;
      reported = Date.now();
      log.info('replay: progress', { thread, events: replayed, position });
    };
  };
}

/** Runs a share's catch-ups on this thread, its projections looked up by name in `projections`. */
export async function rebuildShare(
  share: RebuildShare,
  scratch: Database,
  store: EventStore,
  projections: readonly Projection[],
  log: Log,
  batchSize: number,
  progress: Progress,
): Promise<void> {
  for (const run of share.runs) {
    const group = projections.filter((p) => run.projections.includes(p.name));
    const unknown = run.projections.filter((name) => !group.some((p) => p.name === name));
    if (unknown.length > 0) throw new Error(`replay: no projection named ${unknown.join(', ')} here`);
    await new ProjectionRunner(scratch, store, group, log, batchSize).catchUp(run.until, progress);
  }
}

/** Runs a share's catch-ups on a worker thread of their own (replay-thread.ts). */
function rebuildInThread(data: RebuildThreadData, progress: Progress): Promise<void> {
  const worker = startWorkerThread(__dirname, 'replay-thread', data);
  return new Promise((resolve, reject) => {
    let done = false;
    worker.on('message', (message: RebuildThreadMessage) => {
      if (message.kind === 'progress') progress(message.replayed, message.position);
      else done = true;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (done ? resolve() : reject(new Error(`replay thread exited with code ${code} before it was done`))));
  });
}
