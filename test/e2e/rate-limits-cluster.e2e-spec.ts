import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { api } from '../support/cluster-cloud';
import { eventually } from '../support/eventually';
import { describeWithPostgres } from '../support/services';

const metric = async (o: Orchestrator, name: string): Promise<number> => {
  const text = await (await fetch(`${o.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
};

/** A user's limit of 30 at once, held by three orchestrator processes on one database together. */
describeWithPostgres('Rate limits held across processes (real processes)', () => {
  const BURST = 30;
  const PER_SECOND = 0.2;
  let backing: ClusterBacking;
  let orchestrators: Orchestrator[] = [];
  let token: string;

  beforeAll(async () => {
    backing = await createClusterBacking({ ORCH_RATE_LIMIT_USER: `${PER_SECOND}:${BURST}`, ORCH_RATE_LIMIT_ADDRESS: 'off' });
    orchestrators = await Promise.all([0, 1, 2].map(() => startOrchestrator(backing)));
    token = (await api(orchestrators[0].url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(orchestrators.map((o) => o.stop('SIGKILL')));
    await backing?.destroy();
  });

  it('admits no more than the limit over all three, however the requests are spread, and each process holds a third', async () => {
    for (const o of orchestrators)
      await eventually(
        () => metric(o, 'orch_rate_limit_share'),
        (share) => Math.abs(share - 1 / 3) < 0.001,
        'a third each',
      );
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 3 * BURST }, (_, i) => fetch(`${orchestrators[i % 3].url}/v1/flavors`, { headers: { Authorization: `Bearer ${token}` } })),
    );
    const seconds = (Date.now() - started) / 1000;
    const admitted = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    process.stdout.write(`RATE-LIMIT-CLUSTER ${JSON.stringify({ sent: answers.length, admitted, refused: refused.length, seconds })}\n`);
    expect(admitted + refused.length).toBe(answers.length);
    expect(admitted).toBeLessThanOrEqual(BURST + Math.ceil(PER_SECOND * seconds) + 1);
    expect(admitted).toBeGreaterThanOrEqual(BURST - 3);
    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // One process gone: the two left take half each, so the user gets their whole limit back from them.
    await orchestrators[2].stop('SIGKILL');
    for (const o of orchestrators.slice(0, 2))
      await eventually(
        () => metric(o, 'orch_rate_limit_share'),
        (share) => share === 0.5,
        'a half each',
        30_000,
      );
  });
});
