/**
 * npm run bench:provision: 1,000 instances in one request over 20 simulated hosts (zero spawn
 * latency), on the embedded store and on PostgreSQL. Prints time until all are active,
 * instances/s, events appended, the POST latency of the big request and p50/p99 of 200 single
 * launches (10 at a time, from a client process of its own over keep-alive sockets), peak RSS; beside it the floor: the same number of events appended
 * straight to the same store (single-event appends, 64 writers) once provisioning has settled, and the ratio floor/provisioning.
 * Last line (PostgreSQL): `instances_per_s=<n> ratio_to_floor=<r>`. Prints figures, checks nothing.
 * Tracing's cost: on the embedded store, rounds of three runs: tracing off, on (ORCH_ZIPKIN_URL, spans
 * exported to the Zipkin that scripts/ensure-zipkin.sh starts) as configured by default, and on with
 * every command of the launch traced whole (ORCH_TRACE_MAX_FANOUT=all); the median slowdowns in
 * instances/s. Every run is a process of its own, so that no run inherits another's heap, JIT state or tracing.
 * Knobs: BENCH_INSTANCES (1000), BENCH_CONCURRENCY (worker concurrency, 64), BENCH_PG_POOL (20),
 * BENCH_STORES (embedded,postgres), BENCH_TRACING (compare; off to skip), BENCH_TRACING_ROUNDS (5),
 * BENCH_TRACE_SAMPLE_RATIO (1: every trace recorded),
 * BENCH_ZIPKIN_URL (http://127.0.0.1:9411).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/application/ports/event-store.port';
import { createHttpApp } from '../../src/http-app';
import { loadConfig } from '../../src/infrastructure/config/config';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { createTestDatabase, postgresReachable } from '../support/postgres';
import { unlimitAdminProject } from '../support/app';

const COUNT = Number(process.env.BENCH_INSTANCES ?? 1000);
const HOSTS = 20;
const STORES = (process.env.BENCH_STORES ?? 'embedded,postgres').split(',');
const PASSWORD = 'bench-password-123';
const TRACING = process.env.BENCH_TRACING ?? 'compare';
const ZIPKIN_URL = process.env.BENCH_ZIPKIN_URL ?? 'http://127.0.0.1:9411';
const ROUNDS = Number(process.env.BENCH_TRACING_ROUNDS ?? 5);
const SAMPLE_RATIO = process.env.BENCH_TRACE_SAMPLE_RATIO ?? '1';

/** Tracing off; on as configured by default; on with every command of a request traced whole. */
type TracingMode = 'off' | 'on' | 'all';

type Result = {
  store: string;
  tracing: TracingMode;
  seconds: number;
  instancesPerSecond: number;
  /** The process's CPU time (all its threads) from the launch until every instance was active, per instance. */
  cpuMsPerInstance: number;
  events: number;
  postMs: number;
  p50: number;
  p99: number;
  peakRssMiB: number;
  floorSeconds: number;
  ratio: number;
};

/** Until no instance is still being provisioned and the log has stopped growing for a second. */
async function untilSettled(http: ReturnType<typeof request>, auth: Record<string, string>, eventStore: EventStore): Promise<void> {
  for (;;) {
    let busy = false;
    for (let cursor = ''; ;) {
      const page = (await http.get(`/v1/instances?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).set(auth)).body;
      busy ||= (page.items as Array<{ state: string }>).some((i) => i.state !== 'active');
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const head = await eventStore.headPosition();
    await new Promise((r) => setTimeout(r, 1_000));
    if (!busy && (await eventStore.headPosition()) === head) return;
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(store: 'embedded' | 'postgres', databaseUrl?: string, tracing: TracingMode = 'off'): Promise<Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-prov-'));
  const config = loadConfig({
    ORCH_STORE: store,
    ORCH_DATA_DIR: dataDir,
    ORCH_DATABASE_URL: databaseUrl,
    ORCH_BOOTSTRAP_PASSWORD: PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_LOG_LEVEL: 'error',
    ORCH_POLL_INTERVAL_MS: '20',
    ORCH_PROVISION_CONCURRENCY: process.env.BENCH_CONCURRENCY ?? '64',
    ORCH_PG_POOL_SIZE: process.env.BENCH_PG_POOL ?? '20',
    ORCH_ZIPKIN_URL: tracing === 'off' ? undefined : ZIPKIN_URL,
    ORCH_TRACE_SAMPLE_RATIO: tracing === 'off' ? undefined : SAMPLE_RATIO,
    ORCH_TRACE_MAX_FANOUT: tracing === 'all' ? 'all' : undefined,
  });
  const app = await createHttpApp(config, new JsonLogger('error'));
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  const http = request(app.getHttpServer());
  const eventStore = app.get<EventStore>(EVENT_STORE);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const token = (await http.post('/v1/auth/tokens').send({ username: 'admin', password: PASSWORD, project: 'admin' })).body.token;
    const auth = { Authorization: `Bearer ${token}` };
    await unlimitAdminProject(http, token);
    await http.post('/v1/flavors').set(auth).send({ name: 'bench', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await http.post('/v1/images').set(auth).send({ name: 'bench', os: 'linux', minDiskGiB: 0, source: 'bench' });
    for (let h = 0; h < HOSTS; h++)
      await http
        .post('/v1/hosts')
        .set(auth)
        .send({ name: `bench-${h}`, driver: 'simulated', vcpus: 8, ramMiB: 32768, diskGiB: 1000 });
    await http.post('/v1/networks').set(auth).send({ name: 'bench', cidr: '10.64.0.0/16' });

    const headBefore = await eventStore.headPosition();
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const post = await http
      .post('/v1/instances')
      .set(auth)
      .send({ name: 'b', flavor: 'bench', image: 'bench', networks: [{ network: 'bench' }], minCount: COUNT, maxCount: COUNT });
    const postMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (post.status !== 202) throw new Error(`launch refused: ${post.status} ${JSON.stringify(post.body)}`);
    for (;;) {
      const op = (await http.get(`/v1/operations/${post.body.operation.id}`).set(auth)).body;
      if (op.status !== 'running') {
        if (op.status !== 'succeeded') throw new Error(`operation ended ${op.status}: ${JSON.stringify(op.errors.slice(0, 3))}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerInstance = (cpu.user + cpu.system) / 1000 / COUNT;
    const events = (await eventStore.headPosition()) - headBefore;

    // The single launches come from a client process of its own, over real sockets (see launch-load.ts).
    const latencies = await launchLoad(baseUrl, token, 20, 10);
    latencies.sort((a, b) => a - b);

    // Floor: the same number of events, appended straight to the same store by 64 writers, once
    // provisioning has settled (the single launches done, nothing appended for a second), so that
    // the floor does not share the machine with provisioning still at work.
    await untilSettled(http, auth, eventStore);
    const floorStarted = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < events) {
          next++;
          await eventStore.append(
            `floor-${randomUUID()}`,
            [
              {
                id: randomUUID(),
                type: 'FloorEvent',
                schemaVersion: 1,
                data: { n: next },
                metadata: { principal: 'bench', projectId: null, requestId: null, correlationId: 'floor', causationId: null, at: new Date().toISOString() },
              },
            ],
            'no_stream',
          );
        }
      }),
    );
    const floorSeconds = Number(process.hrtime.bigint() - floorStarted) / 1e9;
    return {
      store,
      tracing,
      seconds,
      instancesPerSecond: COUNT / seconds,
      cpuMsPerInstance,
      events,
      postMs,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      peakRssMiB: peakRss / 1024 / 1024,
      floorSeconds,
      ratio: floorSeconds / seconds,
    };
  } finally {
    clearInterval(sampler);
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs a script of this directory (`name`, compiled or under ts-node like this file) as a process of
 * its own, with `args`; the JSON of the last line it prints.
 */
function runScript(name: string, args: string[]): Promise<unknown> {
  const script = __filename.endsWith('.ts')
    ? ['-r', 'ts-node/register/transpile-only', path.join(__dirname, `${name}.ts`)]
    : [path.join(__dirname, `${name}.js`)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string)) : reject(new Error(`${name} exited with ${code}`))));
  });
}

/** Latencies (ms) of `rounds` × `concurrency` single launches made by launch-load.ts in a child process. */
const launchLoad = (baseUrl: string, token: string, rounds: number, concurrency: number) =>
  runScript('launch-load', [baseUrl, token, String(rounds), String(concurrency)]) as Promise<number[]>;

function print(r: Result): void {
  process.stdout.write(
    `\n${r.store}${r.tracing === 'off' ? '' : ` with tracing ${r.tracing}`}: ${COUNT} instances active in ${r.seconds.toFixed(2)} s = ${r.instancesPerSecond.toFixed(1)} instances/s; ${r.events} events appended\n` +
      `  POST of ${COUNT}: ${r.postMs.toFixed(0)} ms; single POSTs (200, 10 at a time): p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms\n` +
      `  peak RSS ${r.peakRssMiB.toFixed(0)} MiB; floor (same events appended directly) ${r.floorSeconds.toFixed(2)} s; ratio floor/provisioning ${r.ratio.toFixed(2)}\n`,
  );
}

/** One run in a process of its own (`--one <store> <off|on|all> [databaseUrl]`). */
const runInChild = (store: 'embedded' | 'postgres', tracing: TracingMode, databaseUrl?: string) =>
  runScript('provision.bench', ['--one', store, tracing, ...(databaseUrl ? [databaseUrl] : [])]) as Promise<Result>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Tracing's cost from ROUNDS rounds of three runs (off, on, all) back to back, each run a fresh
 * process, the order rotating from round to round so that no mode always runs on a warmer
 * machine: each round's slowdowns against its own run with tracing off, and their medians.
 */
async function tracingCost(): Promise<Result[]> {
  const modes: TracingMode[] = ['off', 'on', 'all'];
  const orderOf = (round: number) => modes.map((_, k) => modes[(k + round) % modes.length]);
  const rounds: Array<Record<TracingMode, Result>> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round: Partial<Record<TracingMode, Result>> = {};
    for (const mode of orderOf(i)) round[mode] = await runInChild('embedded', mode);
    rounds.push(round as Record<TracingMode, Result>);
  }
  const slowdown = (round: Record<TracingMode, Result>, mode: TracingMode) => (1 - round[mode].instancesPerSecond / round.off.instancesPerSecond) * 100;
  rounds.forEach((r, i) =>
    process.stdout.write(
      `  round ${i + 1} (${orderOf(i).join(', ')}): ${r.off.instancesPerSecond.toFixed(1)} off, ` +
        `${r.on.instancesPerSecond.toFixed(1)} on (${slowdown(r, 'on').toFixed(1)}% fewer), ${r.all.instancesPerSecond.toFixed(1)} all (${slowdown(r, 'all').toFixed(1)}% fewer) instances/s; ` +
        `CPU ${r.off.cpuMsPerInstance.toFixed(2)} / ${r.on.cpuMsPerInstance.toFixed(2)} / ${r.all.cpuMsPerInstance.toFixed(2)} ms per instance; ` +
        `single POST p99 ${r.off.p99.toFixed(1)} / ${r.on.p99.toFixed(1)} / ${r.all.p99.toFixed(1)} ms\n`,
    ),
  );
  const medianOf = (mode: TracingMode) => median(rounds.map((r) => slowdown(r, mode))).toFixed(1);
  // CPU time per instance moves less with the machine's speed than throughput does.
  const cpu = (mode: TracingMode) => median(rounds.map((r) => r[mode].cpuMsPerInstance));
  const cpuMore = (mode: TracingMode) => `${cpu(mode).toFixed(2)} ms (${((cpu(mode) / cpu('off') - 1) * 100).toFixed(1)}% more)`;
  process.stdout.write(
    `tracing cost (embedded, median of ${ROUNDS} rounds): ${medianOf('on')}% fewer instances/s with tracing on as configured by default, ` +
      `${medianOf('all')}% with every command of the launch traced whole (ORCH_TRACE_MAX_FANOUT=all); ` +
      `CPU per instance ${cpu('off').toFixed(2)} ms off, ${cpuMore('on')} on, ${cpuMore('all')} all\n`,
  );
  return rounds.flatMap((r) => modes.map((m) => r[m]));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--one') {
    const result = await run(process.argv[3] as 'embedded' | 'postgres', process.argv[5], process.argv[4] as TracingMode);
    // Exits once written: a pipe's write is asynchronous, and nothing else should keep the process.
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    return;
  }
  const results: Result[] = [];
  if (STORES.includes('embedded')) {
    results.push(await runInChild('embedded', 'off'));
    print(results[0]);
    if (TRACING === 'compare') {
      process.stdout.write(`\ntracing off, on and on with every command traced (ORCH_TRACE_SAMPLE_RATIO=${SAMPLE_RATIO}), ${ROUNDS} rounds of runs:\n`);
      results.push(...(await tracingCost()));
    }
  }
  if (!STORES.includes('postgres')) {
    // not asked for
  } else if (await postgresReachable()) {
    const database = await createTestDatabase('orch_bench_prov');
    try {
      results.push(await runInChild('postgres', 'off', database.url));
      print(results[results.length - 1]);
    } finally {
      await database.drop();
    }
  } else {
    process.stdout.write('\nPostgreSQL: not reachable, not measured\n');
  }
  process.stdout.write(`\n${JSON.stringify({ benchmark: 'provision', instances: COUNT, hosts: HOSTS, results })}\n`);
  const pg = results.find((r) => r.store === 'postgres');
  if (pg) process.stdout.write(`instances_per_s=${pg.instancesPerSecond.toFixed(1)} ratio_to_floor=${pg.ratio.toFixed(2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
