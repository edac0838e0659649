/**
 * npm run bench:cluster: several orchestrator processes on one PostgreSQL database behind haproxy
 * (deploy/haproxy.cfg), their simulated hosts shared through a state directory. Prints:
 * - bench:provision's workload (BENCH_INSTANCES, 1000, in one request over 20 hosts) through haproxy
 *   on one, two and three processes: instances/s each, and the ratio of three to one;
 * - cross-process lag: a flavor created on one process, to its event on another process's SSE
 *   stream (p50/p99 of BENCH_LAG_SAMPLES, 200; measured from the POST's start, so an upper bound);
 * - failover: the time from the SIGKILL of a shard owner with work in flight to its shards' next
 *   event appended by another process, and the requests that failed through haproxy meanwhile.
 * For reference, one process with its simulated hosts in memory (what the state files cost).
 * Last line: `three_to_one=<r> lag_p99_ms=<n> failover_ms=<n> failed_requests=<n>`. Prints figures, checks nothing.
 */
import { Client } from 'pg';
import { shardOf } from '../../src/infrastructure/cluster/shard-of';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, clusterMembers, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, InstanceView, api, listAll, prepareSimulatedCloud, unfinished } from '../support/cluster-cloud';
import { LoadBalancer, startHaproxy } from '../support/load-balancer';
import { keepAsking } from '../support/traffic';
import { measureCrossProcessLag } from './cross-process-lag';

const COUNT = Number(process.env.BENCH_INSTANCES ?? 1000);
const LAG_SAMPLES = Number(process.env.BENCH_LAG_SAMPLES ?? 200);
const SHARDS = 32;

type Cluster = { backing: ClusterBacking; orchestrators: Orchestrator[]; balancer: LoadBalancer; token: string; admin: Api };

/** `sharedHosts: false`: the simulated hosts in the process's memory (one process only), for reference. */
async function startCluster(processes: number, sharedHosts = true): Promise<Cluster> {
  const backing = await createClusterBacking({ ORCH_LOG_LEVEL: 'error', ORCH_POLL_INTERVAL_MS: '250', ...(sharedHosts ? {} : { ORCH_SIM_STATE_DIR: '' }) });
  const orchestrators: Orchestrator[] = [];
  for (let i = 0; i < processes; i++) orchestrators.push(await startOrchestrator(backing));
  const balancer = await startHaproxy(orchestrators.map((o) => o.address));
  const token = (await api(balancer.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
  const admin = api(balancer.url, token);
  await prepareSimulatedCloud(admin, 20, '10.64.0.0/16');
  // Each process takes its fair share before the clock starts.
  for (;;) {
    const members = (await clusterMembers(balancer.url, token)).filter((m) => m.alive);
    const sizes = members.map((m) => m.shards.length);
    if (members.length === processes && sizes.reduce((a, b) => a + b, 0) === SHARDS && Math.max(...sizes) - Math.min(...sizes) <= 1) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { backing, orchestrators, balancer, token, admin };
}

async function stopCluster(c: Cluster): Promise<void> {
  await Promise.all(c.orchestrators.map((o) => o.stop('SIGKILL')));
  await c.balancer.stop();
  await c.backing.destroy();
}

async function waitForOperation(admin: Api, id: string): Promise<void> {
  for (;;) {
    const op = (await admin.get(`/v1/operations/${id}`)).body;
    if (op.status && op.status !== 'running') {
      if (op.status !== 'succeeded') throw new Error(`operation ended ${op.status}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Seconds until COUNT instances launched in one request through haproxy are all active. */
async function provisionThroughput(c: Cluster, name: string): Promise<number> {
  const started = process.hrtime.bigint();
  const post = await c.admin.post('/v1/instances', { name, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], minCount: COUNT, maxCount: COUNT });
  if (post.status !== 202) throw new Error(`launch refused: ${post.status} ${JSON.stringify(post.body)}`);
  await waitForOperation(c.admin, post.body.operation.id);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** SIGKILL of the member without singletons that has the most work in flight; time until another process appends for its shards. */
async function failover(c: Cluster): Promise<{ ms: number; inFlightAtKill: number; sent: number; failed: number }> {
  const post = await c.admin.post('/v1/instances', {
    name: 'fo',
    flavor: 'tiny',
    image: 'img',
    networks: [{ network: 'net' }],
    minCount: COUNT,
    maxCount: COUNT,
  });
  const traffic = keepAsking(c.balancer.url, c.token, post.body.operation.id);
  const members = await clusterMembers(c.balancer.url, c.token);
  const victimMember = members.find((m) => m.alive && m.singletons.length === 0 && m.shards.length > 0);
  if (!victimMember) throw new Error('no member without singletons');
  const inVictimShards = (i: InstanceView) => victimMember.shards.includes(shardOf(i.id, SHARDS));
  let inFlightAtKill = 0;
  for (;;) {
    const items = (await listAll(c.admin, '/v1/instances')).filter((i: InstanceView) => i.name.startsWith('fo-')) as InstanceView[];
    inFlightAtKill = unfinished(items).filter(inVictimShards).length;
    if (items.some((i) => i.state === 'active') && inFlightAtKill >= 20) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const victim = c.orchestrators.find((o) => o.pid === victimMember.pid) as Orchestrator;
  await victim.stop('SIGKILL');
  const killedAt = Date.now();
  const db = new Client({ connectionString: c.backing.env.ORCH_DATABASE_URL });
  await db.connect();
  try {
    // Everything appended after this position comes from the survivors: the victim is dead.
    const from = Number((await db.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM events')).rows[0].p);
    for (;;) {
      const { rows } = await db.query<{ id: string; at: string }>(
        `SELECT data->>'instanceId' AS id, metadata->>'at' AS at FROM events WHERE position > $1 AND data ? 'instanceId' ORDER BY position`,
        [from],
      );
      const first = rows.find((r) => victimMember.shards.includes(shardOf(r.id, SHARDS)));
      if (first) {
        await waitForOperation(c.admin, post.body.operation.id);
        const asked = await traffic.stop();
        return { ms: Date.parse(first.at) - killedAt, inFlightAtKill, sent: asked.sent, failed: asked.failed };
      }
      if (Date.now() - killedAt > 60_000) throw new Error("the victim's shards did not move within 60 s");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const seconds: Record<number, number> = {};
  let lag: { p50: number; p99: number; postP50: number } | null = null;
  let fo: Awaited<ReturnType<typeof failover>> | null = null;
  const reference = await startCluster(1, false);
  try {
    const memory = await provisionThroughput(reference, 'mem');
    process.stdout.write(
      `reference, 1 process with its hosts in memory: ${COUNT} instances active in ${memory.toFixed(2)} s = ${(COUNT / memory).toFixed(1)} instances/s\n`,
    );
  } finally {
    await stopCluster(reference);
  }
  for (const processes of [1, 2, 3]) {
    const c = await startCluster(processes);
    try {
      seconds[processes] = await provisionThroughput(c, `p${processes}`);
      process.stdout.write(
        `${processes} process(es): ${COUNT} instances active in ${seconds[processes].toFixed(2)} s = ${(COUNT / seconds[processes]).toFixed(1)} instances/s\n`,
      );
      if (processes === 3) {
        lag = await measureCrossProcessLag(c.orchestrators[0].url, c.orchestrators[1].url, c.token, LAG_SAMPLES);
        process.stdout.write(
          `cross-process lag (POST on one, SSE on another), ${LAG_SAMPLES} samples: p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms (the POST alone: p50 ${lag.postP50.toFixed(1)} ms)\n`,
        );
        fo = await failover(c);
        process.stdout.write(
          `failover: ${fo.inFlightAtKill} instances in flight on the killed process's shards; their work moved again ${fo.ms} ms after the SIGKILL; ` +
            `${fo.failed} of ${fo.sent} requests through haproxy failed meanwhile\n`,
        );
      }
    } finally {
      await stopCluster(c);
    }
  }
  const ratio = seconds[1] / seconds[3];
  process.stdout.write(`three processes against one: ${(ratio * 100).toFixed(0)}% of one process's instances/s\n`);
  process.stdout.write(`\n${JSON.stringify({ benchmark: 'cluster', instances: COUNT, seconds, lag, failover: fo })}\n`);
  process.stdout.write(`three_to_one=${ratio.toFixed(2)} lag_p99_ms=${lag?.p99.toFixed(1)} failover_ms=${fo?.ms} failed_requests=${fo?.failed}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
