import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` of the directory `dirname` with `workerData`. Compiled,
 * that is the JavaScript file there; from the TypeScript sources (tests), ts-node loads the .ts file.
 */
export function startWorkerThread(dirname: string, name: string, workerData: unknown): Worker {
  const typescript = path.extname(__filename) === '.ts';
  return new Worker(path.join(dirname, `${name}${typescript ? '.ts' : '.js'}`), {
    workerData,
    ...(typescript ? { execArgv: ['-r', 'ts-node/register/transpile-only'] } : {}),
  });
}
