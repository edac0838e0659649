import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { PROJECTIONS } from '../read-models/projections';
import { createEventStore } from '../event-store/event-store.factory';
import { JsonLogger } from '../logging/json-logger';
import { Database } from '../persistence/database';
import { RebuildThreadData, RebuildThreadMessage, rebuildShare } from './projection-rebuild';

/**
 * A worker thread of a replay (see rebuildAndCompare): opens the live database and the scratch
 * copy again, rebuilds its share of the projections, posts its progress and then `done`. A
 * failure ends the thread with the error, which the replay reports.
 */
async function run(data: RebuildThreadData): Promise<void> {
  const post = (message: RebuildThreadMessage) => parentPort?.postMessage(message);
  const live = await Database.openAt(data.live, 2);
  const store = createEventStore(live);
  const scratch = await Database.openAt(data.scratch, 2);
  try {
    const log = new JsonLogger('error');
    await rebuildShare(data, scratch, store, PROJECTIONS, log, data.batchSize, (replayed, position) => post({ kind: 'progress', replayed, position }));
    post({ kind: 'done' });
  } finally {
    await store.close();
    await scratch.close();
    await live.close();
  }
}

void run(workerData as RebuildThreadData).catch((error: unknown) => {
  // Thrown again outside the promise: the worker ends with an 'error' event carrying it.
  setImmediate(() => {
    throw error;
  });
});
