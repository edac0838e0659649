/**
 * npm run bench:soak: the orchestrator as its own process (embedded store, 4 simulated hosts),
 * warmed up first (SOAK_WARM_UP_INSTANCES, 5,000, launched and deleted: see soak-warm-up.ts), under
 * SOAK_MINUTES (10) of mixed load from autocannon at SOAK_RATE requests/s (120) over
 * SOAK_CONNECTIONS (8): each connection launches an instance, lists, reads the event log, looks at
 * it, reboots it, deletes it (test/bench/soak-requests.ts), while one client follows the SSE event
 * stream throughout. Prints one row per minute (requests, errors, p50/p99, the server's RSS: the
 * median and max of samples every 2 s) and checks the targets: 0 errors, growth of the median RSS
 * under 10% from the first minute (warm-up) to the last, p99 steady,
 * every instance gone at the end and the stream still live. Exits 1 if a target is missed.
 * Last line: `minutes=<n> requests=<n> errors=<n> rss_growth_pct=<g> p99_first_ms=<a> p99_last_ms=<b>`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { api, listAll, prepareSimulatedCloud } from '../support/cluster-cloud';
import { freePort, startProcess } from '../support/processes';
import { SoakCounts, soakSequence } from './soak-requests';
import { warmUp } from './soak-warm-up';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 120);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 8);
const WARM_UP_INSTANCES = Number(process.env.SOAK_WARM_UP_INSTANCES ?? 5_000);
const PASSWORD = 'soak-password-123';

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Follows the SSE stream, counting events; `alive()` says whether it is still open. */
function followEvents(url: string, token: string): { events(): number; alive(): boolean; stop(): void } {
  const abort = new AbortController();
  let events = 0;
  let open = true;
  void (async () => {
    try {
      const response = await fetch(`${url}/v1/events/stream`, { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) events += (decoder.decode(chunk).match(/^id: /gm) ?? []).length;
    } catch {
      // aborted at the end, or broken (then alive() says so)
    }
    open = false;
  })();
  return { events: () => events, alive: () => open, stop: () => abort.abort() };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-soak-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startProcess(
    'main',
    [],
    {
      ORCH_STORE: 'embedded',
      ORCH_DATA_DIR: dataDir,
      ORCH_HTTP_HOST: '127.0.0.1',
      ORCH_HTTP_PORT: String(port),
      ORCH_BOOTSTRAP_PASSWORD: PASSWORD,
      ORCH_DEMO: 'off',
      ORCH_GRPC_PORT: 'off',
      ORCH_LOG_LEVEL: 'warn',
      ORCH_SIM_LATENCY_MS: '2',
    },
    async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
  );
  const pid = server.child.pid as number;
  try {
    const token = (await api(url).post('/v1/auth/tokens', { username: 'admin', password: PASSWORD, project: 'admin' })).body.token as string;
    const admin = api(url, token);
    await prepareSimulatedCloud(admin, 4);
    const warming = process.hrtime.bigint();
    const rssBefore = rssMiB(pid);
    await warmUp(admin, WARM_UP_INSTANCES);
    process.stdout.write(
      `warm-up: ${WARM_UP_INSTANCES} instances launched and deleted in ${(Number(process.hrtime.bigint() - warming) / 1e9).toFixed(0)} s; RSS ${rssBefore.toFixed(0)} MiB before, ${rssMiB(pid).toFixed(0)} MiB after\n`,
    );
    const stream = followEvents(url, token);
    const counts: SoakCounts = { launched: 0, acted: 0, actionsDeferred: 0, deleted: 0 };
    const requests = soakSequence(counts);
    const rows: Array<{ minute: number; requests: number; errors: number; p50: number; p99: number; rss: number; rssMax: number }> = [];
    process.stdout.write(
      `soak: ${MINUTES} min at ${RATE} req/s over ${CONNECTIONS} connections, server pid ${pid}, RSS ${rssMiB(pid).toFixed(0)} MiB at start\n`,
    );
    process.stdout.write('minute | requests | errors (non-2xx, failed, timeouts) | p50 ms | p99 ms | server RSS MiB: median (max) of samples every 2 s\n');
    for (let minute = 1; minute <= MINUTES; minute++) {
      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(rssMiB(pid)), 2_000);
      const result = await autocannon({
        url,
        connections: CONNECTIONS,
        overallRate: RATE,
        duration: 60,
        headers: { Authorization: `Bearer ${token}` },
        requests,
        timeout: 10,
      });
      clearInterval(sampler);
      const errors = result.non2xx + result.errors + result.timeouts;
      // The minute's median RSS: one sample may land on a collection's peak (100 MiB above its neighbours).
      const sorted = samples.sort((a, b) => a - b);
      const row = {
        minute,
        requests: result.requests.total,
        errors,
        p50: result.latency.p50,
        p99: result.latency.p99,
        rss: sorted[Math.floor(sorted.length / 2)],
        rssMax: sorted[sorted.length - 1],
      };
      rows.push(row);
      const codes = Object.entries(result.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith('2'))
        .map(([code, s]) => `${code}x${(s as { count: number }).count}`);
      process.stdout.write(
        `${minute} | ${row.requests} | ${errors} (${result.non2xx}, ${result.errors}, ${result.timeouts}${codes.length ? ` ${codes.join(' ')}` : ''}) | ${row.p50} | ${row.p99} | ${row.rss.toFixed(1)} (${row.rssMax.toFixed(1)})\n`,
      );
    }
    // Nothing stuck: the load stops mid-loop, so each connection may leave its last instance; every
    // one left must settle (active, within 30 s), and then go when deleted.
    const settleBy = Date.now() + 30_000;
    let left = await listAll(admin, '/v1/instances');
    while (left.some((i) => i.state !== 'active') && Date.now() < settleBy) {
      await new Promise((r) => setTimeout(r, 500));
      left = await listAll(admin, '/v1/instances');
    }
    const unsettled = left.filter((i) => i.state !== 'active');
    for (const i of left) await admin.delete(`/v1/instances/${i.id}`);
    const deadline = Date.now() + 60_000;
    let remaining = left.length;
    while (remaining > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      remaining = (await listAll(admin, '/v1/instances')).length;
    }
    const streamAlive = stream.alive();
    const streamed = stream.events();
    stream.stop();

    const warm = rows[0];
    const last = rows[rows.length - 1];
    const growth = ((last.rss - warm.rss) / warm.rss) * 100;
    const errors = rows.reduce((sum, r) => sum + r.errors, 0);
    const total = rows.reduce((sum, r) => sum + r.requests, 0);
    const p99s = rows.slice(1).map((r) => r.p99);
    const p99Median = [...p99s].sort((a, b) => a - b)[Math.floor(p99s.length / 2)];
    const p99Steady = p99s.length < 2 || Math.max(...p99s) <= 2 * p99Median;
    process.stdout.write(
      `instances launched ${counts.launched}, rebooted ${counts.acted} (${counts.actionsDeferred} not yet active at their turn: a read instead), deleted ${counts.deleted}; left by the last loops ${left.length} (${unsettled.length} not active), ${remaining} of them still there after deleting; ` +
        `SSE stream ${streamAlive ? 'still open' : 'CLOSED'} with ${streamed} events\n`,
    );
    const targets = {
      'no errors': errors === 0,
      'RSS growth < 10%': growth < 10,
      'p99 steady (after the first minute, none over twice the median)': p99Steady,
      'nothing stuck': unsettled.length === 0 && remaining === 0,
      'stream live': streamAlive,
    };
    process.stdout.write(
      `targets: ${Object.entries(targets)
        .map(([name, ok]) => `${name}: ${ok ? 'met' : 'MISSED'}`)
        .join('; ')}\n`,
    );
    process.stdout.write(
      `minutes=${MINUTES} requests=${total} errors=${errors} rss_growth_pct=${growth.toFixed(1)} p99_first_ms=${warm.p99} p99_last_ms=${last.p99}\n`,
    );
    if (Object.values(targets).includes(false)) process.exitCode = 1;
  } finally {
    await server.stop('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
