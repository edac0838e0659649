import { ADMIN_PASSWORD } from './app';
import { reportChaos } from './chaos-report';
import { Api, InstanceView, listAll, unfinished } from './cluster-cloud';
import { eventually } from './eventually';
import { leftovers } from './leftovers';
import { ed25519Key } from './ssh-keys';

type Answer = { what: string; status: number; ms: number; retryAfter: string | null; at: number };

/** How the database goes away and comes back, and how the test checks that it did. */
export type Outage = { name: string; begin(): Promise<void>; end(): Promise<void>; reachable(): Promise<boolean> };

const OUTAGE_MS = 20_000;

/**
 * The database gone for 20 s while an orchestrator process (at `url`, on simulated hosts with a
 * network `net`) provisions a 40-instance launch and serves steady reads and key-pair writes: every
 * request is answered within 10 s, by success or 503 with Retry-After and never another 5xx;
 * everything acknowledged is there afterwards; the launch finishes all active; nothing is orphaned.
 * Reports a chaos row and returns the figures.
 */
export async function databaseOutage(url: string, admin: Api, stateDir: string, outage: Outage): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
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
  const token = (await admin.post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token as string;
  const auth = { authorization: `Bearer ${token}` };
  const seed = Math.floor(Math.random() * 1_000_000);
  const traffic = (async () => {
    for (let n = 0; !stop; n++) {
      const signal = AbortSignal.timeout(10_000);
      await timed('list', () => fetch(`${url}/v1/instances?limit=5`, { headers: auth, signal }));
      const name = `steady-${seed}-${n}`;
      const made = await timed('write', () =>
        fetch(`${url}/v1/keypairs`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ name, publicKey: ed25519Key(seed + n) }),
          signal,
        }),
      );
      if (made.status === 201) acknowledgedKeys.push(name);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  await new Promise((r) => setTimeout(r, 500));
  const inFlight = unfinished((await listAll(admin, '/v1/instances')).filter((i) => launched.includes(i.id))).length;
  await outage.begin();
  figures.instancesInFlightAtCut = inFlight;
  expect(inFlight).toBeGreaterThan(0); // the outage lands while the launch is being provisioned
  const cutAt = Date.now();
  expect(await outage.reachable()).toBe(false); // the outage really happened
  await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - cutAt)));
  expect(await outage.reachable()).toBe(false); // and lasted
  await outage.end();
  const restoredAt = Date.now();
  expect(await outage.reachable()).toBe(true);
  await eventually(
    async () => (await fetch(`${url}/v1/instances?limit=1`, { headers: auth, signal: AbortSignal.timeout(5_000) })).status,
    (status) => status === 200,
    'reads again after the outage',
    60_000,
    100,
  );
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
  const keys = new Set(((await admin.get('/v1/keypairs?limit=1000')).body.items as Array<{ name: string }>).map((k) => k.name));
  const lostKeys = acknowledgedKeys.filter((k) => !keys.has(k));
  expect(lostKeys).toEqual([]);
  const instances = await eventually(
    async () => (await listAll(admin, '/v1/instances')).filter((i) => launched.includes(i.id)),
    (items) => items.length === launched.length && unfinished(items).length === 0,
    'the launch to finish',
    120_000,
    250,
  );
  figures.launchSettledAfterRestoreMs = Date.now() - restoredAt;
  const left = await leftovers(stateDir, admin, await listAll(admin, '/v1/instances'));
  reportChaos({
    scenario: outage.name,
    load: `launch of ${launched.length} + ${answers.length} steady requests`,
    faults: `${OUTAGE_MS / 1000} s outage`,
    acknowledged: 1 + acknowledgedKeys.length,
    lost: lostKeys.length + instances.filter((i) => i.state !== 'active').length + left.missing.length,
    orphans: left.orphans.length,
    fiveXx: answers.filter((a) => a.status === -1 || (a.status >= 500 && !(a.status === 503 && Number(a.retryAfter) >= 1))).length,
    recoverSeconds: (Date.now() - restoredAt) / 1000,
    notes: `acknowledged = the launch and the key pairs written; ${during.length} requests during the outage, all answered 503 with Retry-After or served; reads back ${recoveredMs} ms after the database`,
  });
  expect(instances.filter((i: InstanceView) => i.state !== 'active').map((i) => [i.name, i.state])).toEqual([]);
  expect(left).toEqual({ orphans: [], missing: [] });
  return figures;
}
