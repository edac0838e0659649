import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually, settled } from '../support/eventually';

/**
 * Saga failure at every step: whatever fails, the instance ends in error and holds nothing:
 * no quota, no host claim, no port or address, no root volume, no domain.
 */
describe('Provisioning under faults (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let projectId: string;
  let hosts: string[];
  let drivers: SimulatedHostDrivers;

  const get = (path: string) => running.http.get(path).set(bearer(admin));
  const launch = (extra: object = {}) =>
    running.http
      .post('/v1/instances')
      .set(bearer(admin))
      .send({ name: 'vm', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], ...extra });
  const settle = (operationId: string) => settled(async () => (await get(`/v1/operations/${operationId}`)).body, operationId);
  const holdings = async () => ({
    quota: (await get(`/v1/projects/${projectId}/usage`)).body.instances.used,
    claims: (await get('/v1/hosts')).body.items.map((h: { used: { vcpus: number } }) => h.used.vcpus),
    ports: (await get('/v1/ports')).body.items.length,
    ips: (await get('/v1/networks/net')).body.usedIps,
    volumes: (await drivers.storage().list()).length,
    domains: (await Promise.all(hosts.map((hostId) => drivers.hypervisor({ hostId, driver: 'simulated', uri: null }).list()))).flat().length,
  });
  const everyHost = (fn: (hostId: string) => void) => hosts.forEach(fn);

  beforeAll(async () => {
    backing = await createBacking('embedded', {
      ORCH_SPAWN_TIMEOUT_MS: '300',
      ORCH_WORK_BACKOFF_BASE_MS: '20',
      ORCH_WORK_BACKOFF_CAP_MS: '200',
      ORCH_HOST_UNREACHABLE_GRACE_MS: '2000',
    });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    projectId = (await get('/v1/projects')).body.items[0].id;
    drivers = running.app.get<SimulatedHostDrivers>(HOST_DRIVERS);
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    hosts = [];
    for (const name of ['f1', 'f2'])
      hosts.push((await running.http.post('/v1/hosts').set(bearer(admin)).send({ name, driver: 'simulated', vcpus: 2, ramMiB: 4096, diskGiB: 50 })).body.id);
    await running.http.post('/v1/networks').set(bearer(admin)).send({ name: 'net', cidr: '10.5.0.0/29' });
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  type Fault = { step: string; inject: () => void; heal: () => void; expectError: RegExp };
  const hv = (hostId: string) => drivers.hypervisor({ hostId, driver: 'simulated', uri: null });
  const sw = (hostId: string) => drivers.switch({ hostId, driver: 'simulated', uri: null });
  const faults: Fault[] = [
    {
      step: 'root volume',
      inject: () => drivers.storage().simulation.configure({ failureRate: { createVolume: 1 } }),
      heal: () => drivers.storage().simulation.configure({ failureRate: {} }),
      expectError: /Root volume/,
    },
    {
      step: 'port plug',
      inject: () => everyHost((h) => sw(h).simulation.configure({ failureRate: { plugPort: 1 } })),
      heal: () => everyHost((h) => sw(h).simulation.configure({ failureRate: {} })),
      expectError: /No valid host/,
    },
    {
      step: 'define',
      inject: () => everyHost((h) => hv(h).simulation.configure({ failureRate: { define: 1 } })),
      heal: () => everyHost((h) => hv(h).simulation.configure({ failureRate: {} })),
      expectError: /No valid host/,
    },
    {
      step: 'start',
      inject: () => everyHost((h) => hv(h).simulation.configure({ failureRate: { start: 1 } })),
      heal: () => everyHost((h) => hv(h).simulation.configure({ failureRate: {} })),
      expectError: /No valid host/,
    },
    {
      step: 'boot timeout',
      inject: () => everyHost((h) => hv(h).simulation.configure({ failureRate: { waitUntilReady: 1 } })),
      heal: () => everyHost((h) => hv(h).simulation.configure({ failureRate: {} })),
      expectError: /No valid host/,
    },
    {
      step: 'every host down',
      inject: () => everyHost((h) => (hv(h).simulation.hostDown = true)),
      heal: () => everyHost((h) => (hv(h).simulation.hostDown = false)),
      expectError: /No valid host/,
    },
  ];

  it.each(faults)('a failure at "$step" ends in error with nothing left behind', async (fault) => {
    const before = await holdings();
    fault.inject();
    try {
      const accepted = await launch();
      expect(accepted.status).toBe(202);
      const op = await settle(accepted.body.operation.id);
      expect(op.status).toBe('compensated');
      expect(op.errors[0].message).toMatch(fault.expectError);
    } finally {
      fault.heal();
    }
    expect(await holdings()).toEqual(before);
  });

  it('waits for a host that stops answering for a moment (shown as waiting), then activates the instance on it', async () => {
    everyHost((h) => (hv(h).simulation.hostDown = true));
    let id = '';
    try {
      const accepted = await launch({ name: 'patient' });
      id = accepted.body.instances[0].id;
      const waiting = await eventually(
        async () => (await get(`/v1/instances/${id}`)).body,
        (i) => i.retrying?.waiting === true,
        'the spawn shown as waiting',
      );
      expect(waiting).toMatchObject({ state: 'pending' });
    } finally {
      everyHost((h) => (hv(h).simulation.hostDown = false));
    }
    const instance = await eventually(
      async () => (await get(`/v1/instances/${id}`)).body,
      (i) => i.state === 'active',
      'active once the host answers',
    );
    const types = ((await get(`/v1/instances/${id}/events`)).body.items as Array<{ type: string; data: { hostId?: string } }>).map((e) => e.type);
    expect(types).toContain('InstanceStepRetrying');
    expect(types).not.toContain('InstanceSpawnFailed'); // kept on its host, not rescheduled
    const deleted = await running.http.delete(`/v1/instances/${instance.id}`).set(bearer(admin));
    expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
  });

  it('fails cleanly when the network has no address left, and works again once one is free', async () => {
    const before = await holdings();
    // A /29 has five assignable addresses besides the gateway.
    const fill = await launch({ name: 'fill', minCount: 5, maxCount: 5 });
    expect((await settle(fill.body.operation.id)).status).toBe('succeeded');
    const full = await launch({ name: 'over' });
    const op = await settle(full.body.operation.id);
    expect(op.status).toBe('compensated');
    expect(op.errors[0].message).toMatch(/No free address/);
    for (const i of fill.body.instances) await running.http.delete(`/v1/instances/${i.id}`).set(bearer(admin));
    await eventually(holdings, (h) => JSON.stringify(h) === JSON.stringify(before), 'everything back');
  });

  it('grants exactly 10 of 100 concurrent single-instance launches against a quota of 10', async () => {
    const project = (
      await running.http
        .post('/v1/projects')
        .set(bearer(admin))
        .send({ name: 'racers', quotas: { instances: 10 } })
    ).body.id;
    await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'racer', password: 'long enough password', projectId: project, role: 'member' });
    const racer = await running.login('racer', 'long enough password', 'racers');
    await running.http.post('/v1/networks').set(bearer(racer)).send({ name: 'race-net', cidr: '10.6.0.0/24' });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        running.http
          .post('/v1/instances')
          .set(bearer(racer))
          .send({ name: `r${i}`, flavor: 'tiny', image: 'img', networks: [{ network: 'race-net' }] }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(90);
    expect(responses.filter((r) => r.status === 422).every((r) => r.body.error.code === 'QuotaExceeded')).toBe(true);
    const usage = (await running.http.get(`/v1/projects/${project}/usage`).set(bearer(racer))).body;
    expect(usage.instances).toEqual({ limit: 10, used: 10 });
  });
});
