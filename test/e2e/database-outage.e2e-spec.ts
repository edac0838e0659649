import { postgresReachable as reachable } from '../support/postgres';
import { ed25519Key } from '../support/ssh-keys';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, InstanceView, api, listAll, prepareSimulatedCloud, unfinished } from '../support/cluster-cloud';
import { reportChaos } from '../support/chaos-report';
import { leftovers } from '../support/leftovers';
import { eventually } from '../support/eventually';
import { describeWithPostgres } from '../support/services';
import { TcpCut, tcpRelay } from '../support/tcp-cut';

type Answer = { what: string; status: number; ms: number; retryAfter: string | null; at: number };

/**
 * PostgreSQL unreachable for 20 s (every connection through a relay broken and new ones refused,
 * as a stopped server or a partition does) while an orchestrator process provisions a launch and
 * serves steady reads and writes: every request is answered within 10 s, by success or 503 with
 * Retry-After and never a 500; everything acknowledged is there afterwards; the launch finishes.
 */
describeWithPostgres('PostgreSQL unreachable for 20 s (a real process)', () => {
  const OUTAGE_MS = 20_000;
  let backing: ClusterBacking;
  let relay: TcpCut;
  let viaRelay: string;
  let orchestrator: Orchestrator;
  let admin: Api;
  const figures: Record<string, number | object> & { launchSettledAfterRestoreMs?: number } = {};

  beforeAll(async () => {
    backing = await createClusterBacking({ ORCH_SIM_LATENCY_MS: '40', ORCH_LOG_LEVEL: 'warn' });
    const direct = new URL(backing.env.ORCH_DATABASE_URL as string);
    relay = await tcpRelay(Number(direct.port || 5432), direct.hostname);
    direct.port = String(relay.port);
    viaRelay = direct.toString();
    orchestrator = await startOrchestrator(backing, { ORCH_DATABASE_URL: viaRelay, ORCH_RELAY: 'off', ORCH_BILLING: 'off' });
    const token = (await api(orchestrator.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
    admin = api(orchestrator.url, token);
    await prepareSimulatedCloud(admin, 4);
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`DATABASE-OUTAGE ${JSON.stringify(figures)}\n`);
    await orchestrator?.stop('SIGKILL');
    await relay?.close();
    await backing?.destroy();
  });

  it('answers 503 with Retry-After (never a 500 or a hang) while it is gone, loses nothing acknowledged, and finishes the launch after', async () => {
    const launch = await admin.post('/v1/instances', {
      name: 'outage',
      flavor: 'tiny',
      image: 'img',
      networks: [{ network: 'net' }],
      minCount: 40,
      maxCount: 40,
    });
    expect(launch.status).toBe(202);
    const launched: string[] = launch.body.instances.map((i: { id: string }) => i.id);

    const answers: Answer[] = [];
    const acknowledgedKeys: string[] = [];
    let stop = false;
    const timed = async (what: string, send: () => Promise<Response>) => {
      const started = Date.now();
      const response = await send().catch(() => null);
      const answer = { what, status: response?.status ?? -1, ms: Date.now() - started, retryAfter: response?.headers.get('retry-after') ?? null, at: started };
      answers.push(answer);
      await response?.arrayBuffer().catch(() => undefined);
      return answer;
    };
    const auth = {
      authorization: `Bearer ${(await admin.post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' }).then((r) => r.body.token)) as string}`,
    };
    const traffic = (async () => {
      for (let n = 0; !stop; n++) {
        const signal = AbortSignal.timeout(10_000);
        await timed('list', () => fetch(`${orchestrator.url}/v1/instances?limit=5`, { headers: auth, signal }));
        const name = `steady-${n}`;
        const made = await timed('write', () =>
          fetch(`${orchestrator.url}/v1/keypairs`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ name, publicKey: ed25519Key(1000 + n) }),
            signal,
          }),
        );
        if (made.status === 201) acknowledgedKeys.push(name);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await new Promise((r) => setTimeout(r, 500));
    const inFlight = unfinished((await listAll(admin, '/v1/instances')).filter((i) => launched.includes(i.id))).length;
    await relay.cut();
    figures.instancesInFlightAtCut = inFlight;
    expect(inFlight).toBeGreaterThan(0); // the outage lands while the launch is being provisioned
    const cutAt = Date.now();
    expect(await reachable(viaRelay)).toBe(false); // the outage really happened
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await relay.restore();
    const restoredAt = Date.now();
    expect(await reachable(viaRelay)).toBe(true);
    const summary = () => {
      const counts: Record<string, number> = {};
      for (const a of answers) counts[`${a.what}:${a.status}`] = (counts[`${a.what}:${a.status}`] ?? 0) + 1;
      return counts;
    };
    process.stdout.write(`DATABASE-OUTAGE during ${JSON.stringify(summary())}\n`);
    await eventually(
      async () => (await fetch(`${orchestrator.url}/v1/instances?limit=1`, { headers: auth, signal: AbortSignal.timeout(5_000) })).status,
      (status) => status === 200,
      'reads again after the outage',
      60_000,
      100,
    ).catch((error: unknown) => {
      process.stdout.write(`DATABASE-OUTAGE log ${orchestrator.log.join('').slice(-6000)}\n`);
      throw error;
    });
    const recoveredMs = Date.now() - restoredAt;
    await new Promise((r) => setTimeout(r, 1_000));
    stop = true;
    await traffic;

    const during = answers.filter((a) => a.at >= cutAt && a.at < restoredAt);
    const byStatus: Record<string, number> = {};
    for (const a of answers) byStatus[`${a.what}:${a.status}`] = (byStatus[`${a.what}:${a.status}`] ?? 0) + 1;
    Object.assign(figures, { requests: answers.length, during: during.length, byStatus, slowestMs: Math.max(...answers.map((a) => a.ms)), recoveredMs });
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    expect(answers.filter((a) => a.status === -1)).toEqual([]); // every request answered within 10 s
    expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(5);
    expect(answers.filter((a) => a.status === 503 && !(Number(a.retryAfter) >= 1))).toEqual([]);

    // Everything acknowledged is there; the launch acknowledged before the outage finishes.
    const keys = ((await admin.get('/v1/keypairs?limit=1000')).body.items as Array<{ name: string }>).map((k) => k.name);
    expect(acknowledgedKeys.filter((k) => !keys.includes(k))).toEqual([]);
    const settledAt = Date.now();
    const instances = await eventually(
      async () => (await listAll(admin, '/v1/instances')).filter((i) => launched.includes(i.id)),
      (items) => items.length === launched.length && unfinished(items).length === 0,
      'the launch to finish',
      120_000,
      250,
    );
    figures.launchSettledAfterRestoreMs = Date.now() - settledAt + recoveredMs;
    const left = await leftovers(backing.stateDir, admin, await listAll(admin, '/v1/instances'));
    const lostKeys = acknowledgedKeys.filter((k) => !keys.includes(k));
    reportChaos({
      scenario: 'PostgreSQL unreachable for 20 s',
      load: `launch of ${launched.length} + ${answers.length} steady requests`,
      faults: 'every connection cut',
      acknowledged: 1 + acknowledgedKeys.length,
      lost: lostKeys.length + instances.filter((i) => i.state !== 'active').length + left.missing.length,
      orphans: left.orphans.length,
      fiveXx: answers.filter((a) => a.status === -1 || (a.status >= 500 && !(a.status === 503 && Number(a.retryAfter) >= 1))).length,
      recoverSeconds: figures.launchSettledAfterRestoreMs / 1000,
    });
    expect(instances.filter((i: InstanceView) => i.state !== 'active').map((i) => [i.name, i.state])).toEqual([]);
    expect(left).toEqual({ orphans: [], missing: [] });
  }, 240_000);
});
