import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('Floating IPs over HTTP', () => {
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let alice: string;
  let projectId: string;
  let hostId: string;

  const get = (path: string) => running.http.get(path).set(bearer(alice));
  const post = (path: string, body: object = {}) => running.http.post(path).set(bearer(alice)).send(body);
  const mappedOn = async (portId: string) =>
    (await running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).switch({ hostId, driver: 'simulated', uri: null }).listPorts()).find((p) => p.portId === portId)
      ?.nat?.floatingIp ?? null;
  const launch = async (name: string) => {
    const id = (await post('/v1/instances', { name, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] })).body.instances[0].id as string;
    return eventually(
      async () => (await get(`/v1/instances/${id}`)).body,
      (i) => i.state === 'active',
      id,
    );
  };
  const used = async () => (await get(`/v1/projects/${projectId}/usage`)).body.floatingIps.used;

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_FLOATING_IP_POOL: '203.0.113.0/29', ORCH_RECONCILE_INTERVAL_MS: '100' });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    projectId = (
      await running.http
        .post('/v1/projects')
        .set(bearer(admin))
        .send({ name: 'fip', quotas: { floatingIps: 1 } })
    ).body.id;
    await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'alice', password: 'long enough password', projectId, role: 'member' });
    alice = await running.login('alice', 'long enough password', 'fip');
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    hostId = (await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'h', driver: 'simulated', vcpus: 8, ramMiB: 8192, diskGiB: 100 })).body.id;
    await post('/v1/networks', { name: 'net', cidr: '10.7.0.0/24' });
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  it('allocates within the quota, maps to one instance at a time, survives the instance, and is released', async () => {
    const allocated = await post('/v1/floating-ips');
    expect(allocated.status).toBe(201);
    expect(allocated.body).toMatchObject({ id: expect.stringMatching(/^fip-/), address: '203.0.113.2', instanceId: null });
    const fipId = allocated.body.id;
    const second = await post('/v1/floating-ips');
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe('QuotaExceeded');
    expect(await used()).toBe(1);

    const [a, b] = [await launch('a'), await launch('b')];
    const associated = await post(`/v1/floating-ips/${fipId}/associate`, { instanceId: a.id });
    expect(associated.status).toBe(200);
    expect(associated.body).toMatchObject({ instanceId: a.id, portId: a.addresses[0].portId, fixedIp: a.addresses[0].ip });
    expect(await mappedOn(a.addresses[0].portId)).toBe('203.0.113.2');
    const taken = await post(`/v1/floating-ips/${fipId}/associate`, { instanceId: b.id });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('FloatingIpInUse');
    expect((await post(`/v1/floating-ips/${fipId}/associate`, { instanceId: 'not an id' })).status).toBe(400);

    // Lost on the switch behind our back: the reconciler maps it again.
    await running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).switch({ hostId, driver: 'simulated', uri: null }).setFloatingIp(a.addresses[0].portId, null);
    await eventually(
      () => mappedOn(a.addresses[0].portId),
      (ip) => ip === '203.0.113.2',
      'mapping restored',
    );

    expect((await post(`/v1/floating-ips/${fipId}/disassociate`)).body.instanceId).toBeNull();
    expect(await mappedOn(a.addresses[0].portId)).toBeNull();
    expect((await post(`/v1/floating-ips/${fipId}/associate`, { instanceId: b.id })).status).toBe(200);

    expect((await running.http.delete(`/v1/instances/${b.id}`).set(bearer(alice))).status).toBe(202);
    await eventually(
      async () => (await get(`/v1/floating-ips/${fipId}`)).body,
      (f) => f.instanceId === null,
      'disassociated when its instance went',
    );

    const other = await running.login('admin', ADMIN_PASSWORD, 'admin');
    expect((await running.http.get(`/v1/floating-ips/${fipId}`).set(bearer(other))).status).toBe(200); // admin sees all
    expect((await running.http.delete(`/v1/floating-ips/${fipId}`).set(bearer(alice))).status).toBe(204);
    expect((await get(`/v1/floating-ips/${fipId}`)).status).toBe(404);
    expect(await used()).toBe(0);
    // The address went back to the pool.
    expect((await post('/v1/floating-ips')).body.address).toBe('203.0.113.2');
  });
});
