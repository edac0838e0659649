import { shardOf } from '../../src/infrastructure/cluster/shard-of';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, clusterMembers, createClusterBacking, sharedOutFairly, startOrchestrator } from '../support/cluster';
import { Api, InstanceView, api, expectHostsHoldExactly, prepareSimulatedCloud, unfinished } from '../support/cluster-cloud';
import { eventually } from '../support/eventually';
import { LoadBalancer, startHaproxy } from '../support/load-balancer';
import { describeWithPostgresAndHaproxy } from '../support/services';
import { keepAsking } from '../support/traffic';

const SHARDS = 32;

/**
 * Three orchestrator processes on one PostgreSQL database behind haproxy (deploy/haproxy.cfg, as
 * the README shows it), their simulated hosts shared through a state directory as real hosts are
 * shared. A 300-instance launch goes through haproxy; the process owning shards with work in
 * flight is killed outright; the others take its shards over and finish the launch with nothing
 * orphaned, while requests through haproxy keep being answered. Then a late joiner takes its fair
 * share, and a process stopped with SIGTERM hands its shards over without cutting a step.
 */
describeWithPostgresAndHaproxy('Several orchestrators behind haproxy: failover (real processes)', () => {
  let backing: ClusterBacking;
  let orchestrators: Orchestrator[] = [];
  let balancer: LoadBalancer;
  let admin: Api;
  let token: string;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    backing = await createClusterBacking({ ORCH_SIM_LATENCY_MS: '15' });
    // All three at once: migrations and the bootstrap must still run once.
    orchestrators = await Promise.all([0, 1, 2].map(() => startOrchestrator(backing)));
    balancer = await startHaproxy(orchestrators.map((o) => o.address));
    token = (await api(balancer.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
    admin = api(balancer.url, token);
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(`CLUSTER-FAILOVER ${JSON.stringify(figures)}\n`);
    await Promise.all(orchestrators.map((o) => o.stop('SIGKILL')));
    await balancer?.stop();
    await backing?.destroy();
  });

  const named = async (prefix: string) => ((await admin.get('/v1/instances?limit=1000')).body.items as InstanceView[]).filter((i) => i.name.startsWith(prefix));
  const livePids = () => orchestrators.filter((o) => o.child.exitCode === null && o.child.signalCode === null).map((o) => o.pid);

  it('runs the bootstrap once though three processes start together, and shares the shards and singletons out fairly', async () => {
    const projects = (await admin.get('/v1/projects')).body.items as Array<{ name: string }>;
    expect(projects.map((p) => p.name)).toEqual(['admin']);
    const users = (await admin.get('/v1/users')).body.items as Array<{ name: string }>;
    expect(users.map((u) => u.name)).toEqual(['admin']);
    const members = await eventually(
      () => clusterMembers(balancer.url, token),
      (m) => sharedOutFairly(m, SHARDS, livePids()),
      'a fair share',
      15_000,
      200,
    );
    expect(members.map((m) => m.shards.length).sort()).toEqual([10, 11, 11]);
    // Each process's metrics tell the same.
    for (const o of orchestrators) {
      const text = await (await fetch(`${o.url}/metrics`)).text();
      const member = members.find((m) => m.pid === o.pid);
      expect(text).toContain(`orch_cluster_shards_held ${member?.shards.length}`);
      expect(text).toContain(`orch_cluster_singleton_running{singleton="projections"} ${member?.singletons.includes('projections') ? 1 : 0}`);
    }
  });

  it('finishes a 300-instance launch through haproxy after a process with work in flight is SIGKILLed, nothing orphaned', async () => {
    await prepareSimulatedCloud(admin, 4);
    const launch = await admin.post(
      '/v1/instances',
      { name: 'fo', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], minCount: 300, maxCount: 300 },
      { 'Idempotency-Key': 'failover-launch' },
    );
    expect(launch.status).toBe(202);
    const traffic = keepAsking(balancer.url, token, launch.body.operation.id);

    // The victim: a process without the singletons whose shards hold instances still being provisioned.
    const members = await clusterMembers(balancer.url, token);
    const victimMember = members.find((m) => m.alive && m.singletons.length === 0 && m.shards.length > 0);
    if (!victimMember) throw new Error(`no member without singletons: ${JSON.stringify(members)}`);
    const victim = orchestrators.find((o) => o.pid === victimMember.pid) as Orchestrator;
    const atKill = await eventually(
      async () => {
        const items = (await admin.get('/v1/instances?limit=1000')).body.items as InstanceView[];
        const inFlight = unfinished(items).filter((i) => victimMember.shards.includes(shardOf(i.id, SHARDS)));
        return { listed: items.length, active: items.filter((i) => i.state === 'active').length, victimInFlight: inFlight.length };
      },
      (s) => s.listed === 300 && s.active > 0 && s.victimInFlight >= 5,
      'the launch to be under way on the victim',
      60_000,
      20,
    );
    await victim.stop('SIGKILL');
    const killedAt = Date.now();
    expect(victim.child.signalCode).toBe('SIGKILL');
    figures.atKill = { ...atKill, victimShards: victimMember.shards.length };

    const settledAt = await eventually(
      async () => unfinished((await admin.get('/v1/instances?limit=1000')).body.items as InstanceView[]).length,
      (n) => n === 0,
      'every instance active or in error',
      30_000,
      100,
    ).then(() => Date.now());
    figures.settledAfterKillMs = settledAt - killedAt;
    const takenOver = await eventually(
      () => clusterMembers(balancer.url, token),
      (m) => sharedOutFairly(m, SHARDS, livePids()),
      'the survivors to hold every shard',
      10_000,
      100,
    );
    expect(takenOver.filter((m) => m.alive).map((m) => m.shards.length)).toEqual([16, 16]);
    await new Promise((r) => setTimeout(r, 1_500)); // requests after the survivors settled count too
    const asked = await traffic.stop();
    figures.traffic = { sent: asked.sent, failed: asked.failed, failures: asked.failures.slice(0, 5) };
    expect(asked.sent).toBeGreaterThan(50);
    expect(asked.failures).toEqual([]);

    const op = (await admin.get(`/v1/operations/${launch.body.operation.id}`)).body;
    expect(op.status).toBe('succeeded');
    const items = (await admin.get('/v1/instances?limit=1000')).body.items as InstanceView[];
    expect(items.filter((i) => i.state === 'active')).toHaveLength(300);
    await expectHostsHoldExactly(backing.stateDir, admin, items);
  }, 180_000);

  it('gives a process started later its fair share within seconds', async () => {
    const started = Date.now();
    // Not behind haproxy, so no drain: it stops at once on SIGTERM, while its steps are in flight.
    const late = await startOrchestrator(backing, { ORCH_DRAIN_MS: '0' });
    orchestrators.push(late);
    const ready = Date.now();
    const members = await eventually(
      () => clusterMembers(balancer.url, token),
      (m) => sharedOutFairly(m, SHARDS, livePids()),
      'a fair share with the late joiner',
      15_000,
      50,
    );
    figures.lateJoiner = { startMs: ready - started, fairShareAfterListeningMs: Date.now() - ready };
    expect(members.find((m) => m.pid === late.pid)?.shards.length).toBeGreaterThanOrEqual(10);
    expect(Date.now() - ready).toBeLessThan(10_000);
  }, 90_000);

  it('hands the shards of a process stopped with SIGTERM over with no step cut', async () => {
    const leaving = orchestrators[orchestrators.length - 1];
    const launch = await admin.post('/v1/instances', {
      name: 'term',
      flavor: 'tiny',
      image: 'img',
      networks: [{ network: 'net' }],
      minCount: 120,
      maxCount: 120,
    });
    expect(launch.status).toBe(202);
    const shards = (await clusterMembers(balancer.url, token)).find((m) => m.pid === leaving.pid)?.shards ?? [];
    const inFlight = await eventually(
      async () => unfinished(await named('term-')).filter((i) => shards.includes(shardOf(i.id, SHARDS))).length,
      (n) => n >= 3,
      'work in flight on the leaving process',
      30_000,
      20,
    );
    const exited = new Promise<number | null>((resolve) => leaving.child.once('exit', (code) => resolve(code)));
    leaving.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = leaving.log.join('').split('\n');
    // It stopped with steps in flight, let them finish, and only then gave their shards back.
    const stoppedWith = lines.filter((l) => l.includes('provisioning: stopping; letting the steps in flight finish')).map((l) => JSON.parse(l).count as number);
    figures.sigterm = { inFlightAtSignal: inFlight, stepsInFlightAtStop: stoppedWith };
    expect(stoppedWith.length).toBe(1);
    expect(stoppedWith[0]).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('steps still in flight') || l.includes('timed out'))).toEqual([]);

    await eventually(
      async () => unfinished(await named('term-')).length,
      (n) => n === 0,
      'the launch to finish on the others',
      30_000,
      100,
    );
    const items = await named('term-');
    expect(items.filter((i) => i.state === 'active')).toHaveLength(120);
    // No step was cut: a cut step would show as a failed attempt in the instances' history. (A retry
    // after losing a race on a shared stream to another process, "modified concurrently", is not a cut.)
    const failedSteps = (await admin.get('/v1/events?limit=1000&type=InstanceSpawnFailed,InstanceStepRetrying,InstanceFailed')).body.items as Array<{
      data: { reason?: string };
    }>;
    expect(failedSteps.filter((e) => !/modified concurrently/.test(e.data.reason ?? ''))).toEqual([]);
    await expectHostsHoldExactly(backing.stateDir, admin, (await admin.get('/v1/instances?limit=1000')).body.items as InstanceView[]);
  }, 120_000);
});
