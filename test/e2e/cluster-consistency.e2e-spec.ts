import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, clusterMembers, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, InstanceView, addSimulatedHosts, api, prepareSimulatedCloud, unfinished } from '../support/cluster-cloud';
import { readSimulatedState } from '../support/simulated-state';
import { eventually } from '../support/eventually';
import { runProcess } from '../support/processes';
import { describeWithPostgres } from '../support/services';

/** The sum over processes of a counter in their /metrics. */
async function counterSum(orchestrators: Orchestrator[], name: string): Promise<number> {
  let sum = 0;
  for (const o of orchestrators) {
    const text = await (await fetch(`${o.url}/metrics`)).text();
    for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').pop());
  }
  return sum;
}

/**
 * Three orchestrator processes on one PostgreSQL database, each deciding on its own: a quota race
 * over all three gives exactly the limit, and the projections survive their owner's death in the
 * middle of a burst, leaving read models equal to a rebuild from the log.
 */
describeWithPostgres('Several orchestrators on one database: consistency (real processes)', () => {
  let backing: ClusterBacking;
  let orchestrators: Orchestrator[] = [];
  let token: string;
  const figures: Record<string, unknown> = {};
  const as = (o: Orchestrator, t = token): Api => api(o.url, t);

  beforeAll(async () => {
    backing = await createClusterBacking({ ORCH_SIM_LATENCY_MS: '5', ORCH_REGION: 'RegionEast' });
    orchestrators = await Promise.all([0, 1, 2].map(() => startOrchestrator(backing)));
    token = (await api(orchestrators[0].url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
    await prepareSimulatedCloud(as(orchestrators[0]), 0); // hosts: each test adds its own
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`CLUSTER-CONSISTENCY ${JSON.stringify(figures)}\n`);
    await Promise.all(orchestrators.map((o) => o.stop('SIGKILL')));
    await backing?.destroy();
  });

  it('tells which region answered, and its events carry the region', async () => {
    const answer = await as(orchestrators[1]).get('/v1/flavors');
    expect(answer.headers['x-region']).toBe('RegionEast');
    const events = (await as(orchestrators[2]).get('/v1/events?limit=1000')).body.items as Array<{ metadata: { region?: string } }>;
    expect(events.length).toBeGreaterThan(5);
    expect(events.filter((e) => e.metadata.region !== 'RegionEast')).toEqual([]);
  });

  it('never overcommits a host that three processes schedule onto at once', async () => {
    const admin = as(orchestrators[0]);
    // Disk is not overcommitted (Nova's ratio 1.0): room for exactly 10 one-GiB instances per host.
    await addSimulatedHosts(admin, 'tight', 2, { vcpus: 64, ramMiB: 65536, diskGiB: 10 });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        as(orchestrators[i % 3]).post('/v1/instances', { name: `t-${i}`, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] }),
      ),
    );
    expect(answers.filter((a) => a.status !== 202).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    const items = await eventually(
      async () => ((await admin.get('/v1/instances?limit=1000')).body.items as InstanceView[]).filter((i) => i.name.startsWith('t-')),
      (all) => all.length === 40 && unfinished(all).length === 0,
      'the 40 launches to settle',
      60_000,
      100,
    );
    const hosts = ((await admin.get('/v1/hosts')).body.items as Array<{ name: string; used: { diskGiB: number } }>).filter((h) => h.name.startsWith('tight-'));
    const domains = Object.values(readSimulatedState(backing.stateDir).hypervisors).map((d) => d.length);
    figures.scheduling = { active: items.filter((i) => i.state === 'active').length, usedDisk: hosts.map((h) => h.used.diskGiB), domains };
    expect(items.filter((i) => i.state === 'active')).toHaveLength(20);
    expect(hosts.map((h) => h.used.diskGiB)).toEqual([10, 10]);
    expect(domains.sort()).toEqual([10, 10]);
  }, 120_000);

  it('accepts exactly 10 of 100 launches spread over three processes against a quota of 10', async () => {
    const admin = as(orchestrators[0]);
    await addSimulatedHosts(admin, 'sim', 3);
    const project = (await admin.post('/v1/projects', { name: 'race', quotas: { instances: 10, vcpus: 100, ramMiB: 1_000_000 } })).body.id;
    const user = await admin.post('/v1/users', { name: 'racer', password: 'long enough password', projectId: project, role: 'member' });
    expect(user.status).toBe(201);
    const racer = (await api(orchestrators[1].url).post('/v1/auth/tokens', { username: 'racer', password: 'long enough password', project: 'race' })).body
      .token;
    expect((await as(orchestrators[2], racer).post('/v1/networks', { name: 'rnet', cidr: '10.20.0.0/24' })).status).toBe(201);
    const conflictsBefore = await counterSum(orchestrators, 'orch_command_conflicts_total');

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        as(orchestrators[i % 3], racer).post('/v1/instances', { name: `r-${i}`, flavor: 'tiny', image: 'img', networks: [{ network: 'rnet' }] }),
      ),
    );
    const byStatus = answers.reduce<Record<string, number>>(
      (acc, a) => ({ ...acc, [`${a.status} ${a.body.error?.code ?? ''}`.trim()]: (acc[`${a.status} ${a.body.error?.code ?? ''}`.trim()] ?? 0) + 1 }),
      {},
    );
    const acceptedBy = [0, 1, 2].map((p) => answers.filter((a, i) => i % 3 === p && a.status === 202).length);
    figures.quotaRace = { byStatus, acceptedBy, conflicts: (await counterSum(orchestrators, 'orch_command_conflicts_total')) - conflictsBefore };
    expect(byStatus).toEqual({ '202': 10, '422 QuotaExceeded': 90 });

    const settled = await eventually(
      async () => (await as(orchestrators[1], racer).get('/v1/instances?limit=1000')).body.items as InstanceView[],
      (items) => items.length === 10 && unfinished(items).length === 0,
      'the 10 accepted instances to settle',
      30_000,
      100,
    );
    expect(settled.filter((i) => i.state === 'active')).toHaveLength(10);
    expect((await admin.get(`/v1/projects/${project}/usage`)).body.instances.used).toBe(10);
  }, 120_000);

  it('carries out a request sent with one Idempotency-Key to three processes at once only once', async () => {
    const body = { name: 'idem', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] };
    const send = () => Promise.all(orchestrators.map((o) => as(o).post('/v1/instances', body, { 'Idempotency-Key': 'across-processes' })));
    const first = await send();
    const outcomes = first.map((a) => (a.status === 202 ? `202 ${a.body.operation.id}` : `${a.status} ${a.body.error?.code}`));
    const accepted = new Set(first.filter((a) => a.status === 202).map((a) => a.body.operation.id));
    expect(accepted.size).toBe(1);
    expect(outcomes.filter((o) => !o.startsWith('202')).every((o) => o === '409 IdempotencyKeyInProgress')).toBe(true);
    // Once answered, every process replays that answer.
    const again = await eventually(send, (answers) => answers.every((a) => a.status === 202), 'the replays', 10_000, 100);
    expect(new Set(again.map((a) => a.body.operation.id))).toEqual(accepted);
    const named = ((await as(orchestrators[0]).get('/v1/instances?limit=1000&name=idem')).body.items as InstanceView[]).length;
    figures.idempotency = { first: outcomes, instances: named };
    expect(named).toBe(1);
  });

  it('moves the projections to another process when their owner is killed in a burst; the read models equal their replay', async () => {
    const members = await eventually(
      () => clusterMembers(orchestrators[0].url, token),
      (m) => m.filter((x) => x.alive).length === 3,
      'three members',
      10_000,
      100,
    );
    const owner = orchestrators.find((o) => members.find((m) => m.pid === o.pid)?.singletons.includes('projections')) as Orchestrator;
    const others = orchestrators.filter((o) => o !== owner);
    let launched = 0;
    let launchedAfterKill = 0;
    let refused = 0;
    let killedAt = 0;
    const burst = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 15; i++) {
        const target = w === 0 && killedAt === 0 ? owner : others[(w + i) % 2];
        const response = await as(target)
          .post('/v1/instances', { name: `b-${w}-${i}`, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], minCount: 3, maxCount: 3 })
          .catch(() => null);
        if (response?.status === 202) {
          launched++;
          if (killedAt > 0) launchedAfterKill++;
        } else if (target !== owner) refused++;
      }
    });
    await eventually(
      async () => launched,
      (n) => n >= 10,
      'the burst to be under way',
      30_000,
      10,
    );
    await owner.stop('SIGKILL');
    killedAt = Date.now();
    expect(owner.child.signalCode).toBe('SIGKILL');
    const heir = await eventually(
      () => clusterMembers(others[0].url, token),
      (m) => m.some((x) => x.alive && x.singletons.includes('projections')),
      'another process to run the projections',
      10_000,
      50,
    );
    figures.projectionFailoverMs = Date.now() - killedAt;
    expect(heir.find((x) => x.singletons.includes('projections'))?.pid).not.toBe(owner.pid);
    await Promise.all(burst);
    figures.burst = { launched, launchedAfterKill, refusedBySurvivors: refused };
    expect(refused).toBe(0);
    expect(launchedAfterKill).toBeGreaterThan(10); // the burst went on after the kill

    // Read-your-writes across processes after the takeover: written on one, read on the other at once.
    const created = await as(others[0]).post('/v1/flavors', { name: 'after-failover', vcpus: 1, ramMiB: 128, diskGiB: 1 });
    expect(created.status).toBe(201);
    expect((await as(others[1]).get('/v1/flavors/after-failover')).status).toBe(200);

    await eventually(
      async () => unfinished((await as(others[0]).get('/v1/instances?limit=1000')).body.items as InstanceView[]).length,
      (n) => n === 0,
      'the burst to settle',
      60_000,
      100,
    );
    const { code, output } = await runProcess('replay', [], { ...backing.env, ORCH_LOG_LEVEL: 'error', ORCH_REPLAY_THREADS: '2' });
    figures.replay = output.split('\n').find((l) => l.startsWith('replayed')) ?? null;
    expect(output).toContain('read models equal their replay');
    expect(code).toBe(0);
  }, 180_000);
});
