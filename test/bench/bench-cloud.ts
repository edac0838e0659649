import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHttpApp } from '../../src/http-app';
import { loadConfig } from '../../src/infrastructure/config/config';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { unlimitAdminProject } from '../support/app';
import { createTestDatabase, postgresReachable } from '../support/postgres';

export const BENCH_PASSWORD = 'bench-password-123';

/** A line of the server's access log: what a benchmark reads the server's own time from. */
export type AccessLine = { msg: string; method: string; path: string; ms: number; requestId: string };

/** The orchestrator of an API benchmark, on simulated hosts, with the admin's project unlimited and a catalog to launch from. */
export type BenchCloud = {
  app: INestApplication;
  base: string;
  http: ReturnType<typeof request>;
  token: string;
  auth: { Authorization: string };
  projectId: string;
  imageId: string;
  networkId: string;
  access: AccessLine[];
  /** Polls an operation until it ends (failing unless it succeeded); the seconds since `started`. */
  untilDone(operationId: string, started: bigint): Promise<number>;
  close(): Promise<void>;
};

/** Flavor `bench` (1 vCPU, 256 MiB), image `bench`, `hosts` simulated hosts, network `bench` (10.64.0.0/16). */
export async function startBenchCloud(store: 'embedded' | 'postgres', databaseUrl: string | undefined, hosts: number): Promise<BenchCloud> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-'));
  const access: AccessLine[] = [];
  const logger = new JsonLogger('info', (line) => {
    if (line.includes('"msg":"http"')) access.push(JSON.parse(line) as AccessLine);
  });
  const config = loadConfig({
    ORCH_STORE: store,
    ORCH_DATA_DIR: dataDir,
    ORCH_DATABASE_URL: databaseUrl,
    ORCH_BOOTSTRAP_PASSWORD: BENCH_PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_POLL_INTERVAL_MS: '20',
    ORCH_GRPC_PORT: 'off',
  });
  const app = await createHttpApp(config, logger);
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const http = request(app.getHttpServer());
  const token = (await http.post('/v1/auth/tokens').send({ username: 'admin', password: BENCH_PASSWORD, project: 'admin' })).body.token as string;
  const auth = { Authorization: `Bearer ${token}` };
  const projectId = await unlimitAdminProject(http, token);
  await http.post('/v1/flavors').set(auth).send({ name: 'bench', vcpus: 1, ramMiB: 256, diskGiB: 1 });
  const imageId = (await http.post('/v1/images').set(auth).send({ name: 'bench', os: 'linux', minDiskGiB: 0, source: 'bench' })).body.id as string;
  for (let h = 0; h < hosts; h++) {
    await http
      .post('/v1/hosts')
      .set(auth)
      .send({ name: `bench-${h}`, driver: 'simulated', vcpus: 64, ramMiB: 262_144, diskGiB: 100_000 });
  }
  const networkId = (await http.post('/v1/networks').set(auth).send({ name: 'bench', cidr: '10.64.0.0/16' })).body.id as string;
  return {
    app,
    base,
    http,
    token,
    auth,
    projectId,
    imageId,
    networkId,
    access,
    async untilDone(operationId, started) {
      for (;;) {
        const op = (await http.get(`/v1/operations/${operationId}`).set(auth)).body;
        if (op.status !== 'running') {
          if (op.status !== 'succeeded') throw new Error(`operation ${operationId} ended ${op.status}`);
          return Number(process.hrtime.bigint() - started) / 1e9;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a benchmark on each store of BENCH_STORES (embedded, then PostgreSQL in a database of its
 * own when one answers), printing each result as it comes; the results in order.
 */
export async function onEachStore<R>(database: string, run: (store: 'embedded' | 'postgres', url?: string) => Promise<R>, print: (r: R) => void): Promise<R[]> {
  const stores = (process.env.BENCH_STORES ?? 'embedded,postgres').split(',');
  const results: R[] = [];
  if (stores.includes('embedded')) {
    results.push(await run('embedded'));
    print(results[results.length - 1]);
  }
  if (stores.includes('postgres')) {
    if (await postgresReachable()) {
      const created = await createTestDatabase(database);
      try {
        results.push(await run('postgres', created.url));
        print(results[results.length - 1]);
      } finally {
        await created.drop();
      }
    } else process.stdout.write('\nPostgreSQL: not reachable, not measured\n');
  }
  return results;
}
