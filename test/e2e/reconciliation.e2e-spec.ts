import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { domainSpec } from '../contract/hypervisor-driver.contract';
import { eventually } from '../support/eventually';

describe('Reconciliation against the simulated hosts (embedded)', () => {
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let hostId: string;
  let drivers: SimulatedHostDrivers;

  const get = (path: string) => running.http.get(path).set(bearer(admin));
  const hv = () => drivers.hypervisor({ hostId, driver: 'simulated', uri: null });
  const launchOne = async (name: string) => {
    const r = await running.http
      .post('/v1/instances')
      .set(bearer(admin))
      .send({ name, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] });
    const id = r.body.instances[0].id as string;
    await eventually(
      async () => (await get(`/v1/instances/${id}`)).body.state,
      (s) => s === 'active',
      `${name} active`,
    );
    return id;
  };
  const eventTypes = async (id: string) => (await get(`/v1/instances/${id}/events`)).body.items.map((e: { type: string }) => e.type);

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_RECONCILE_INTERVAL_MS: '100', ORCH_ORPHAN_GRACE_MS: '300' });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    drivers = running.app.get<SimulatedHostDrivers>(HOST_DRIVERS);
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    hostId = (await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'only', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 })).body
      .id;
    await running.http.post('/v1/networks').set(bearer(admin)).send({ name: 'net', cidr: '10.7.0.0/24' });
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  it('records power drift when a guest dies on its own, and accepts it (instance stopped)', async () => {
    const id = await launchOne('crashy');
    hv().killDomain(id);
    await eventually(
      async () => (await get(`/v1/instances/${id}`)).body.state,
      (s) => s === 'stopped',
      'stopped after drift',
    );
    const types = await eventTypes(id);
    expect(types).toEqual(expect.arrayContaining(['InstancePowerStateDrifted', 'InstanceStopRequested', 'InstanceStopped']));
    const drift = (await get(`/v1/instances/${id}/events`)).body.items.find((e: { type: string }) => e.type === 'InstancePowerStateDrifted');
    expect(drift.data).toMatchObject({ expected: 'running', observed: 'crashed' });
    expect(drift.metadata.principal).toBe('system:reconciler');
    // A stopped instance whose guest is down is consistent: no further drift on later passes.
    await new Promise((r) => setTimeout(r, 400));
    expect((await eventTypes(id)).filter((t: string) => t === 'InstancePowerStateDrifted')).toHaveLength(1);
  });

  it('puts an instance whose domain vanished in error, with an event, keeping its resources', async () => {
    const id = await launchOne('vanishing');
    hv().forgetDomain(id);
    const instance = await eventually(
      async () => (await get(`/v1/instances/${id}`)).body,
      (i) => i.state === 'error',
      'error after loss',
    );
    expect(instance.failure).toMatch(/missing on host only/);
    expect(instance.addresses).toHaveLength(1); // kept until the user deletes it
    expect(await eventTypes(id)).toContain('InstanceLost');
    await running.http.delete(`/v1/instances/${id}`).set(bearer(admin));
    await eventually(
      async () => (await get(`/v1/instances/${id}`)).body.state,
      (s) => s === 'deleted',
      'deleted',
    );
  });

  it('records an unknown domain as an orphan and removes it after the grace period', async () => {
    hv().defineOutOfBand(domainSpec('rogue-domain'));
    const orphans = () => running.store.readStream(`orphans-${hostId}`);
    const events = await eventually(orphans, (e) => e.some((x) => x.type === 'OrphanRemoved'), 'orphan removed');
    expect(events.map((e) => [e.type, (e.data as { id: string }).id])).toEqual(
      expect.arrayContaining([
        ['OrphanFound', 'rogue-domain'],
        ['OrphanRemoved', 'rogue-domain'],
      ]),
    );
    expect((await hv().list()).some((d) => d.instanceId === 'rogue-domain')).toBe(false);
  });

  it('records a volume and a snapshot unknown to the orchestrator as orphans and deletes them after the grace period', async () => {
    const storage = running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).storage();
    await storage.createVolume({ volumeId: 'vol-rogue', sizeGiB: 1, sourceImage: null });
    await storage.snapshot('vol-rogue', 'snap-rogue');
    const orphans = () => running.store.readStream('orphans-block-storage');
    const removed = (e: Awaited<ReturnType<typeof orphans>>) => e.filter((x) => x.type === 'OrphanRemoved').length === 2;
    const events = await eventually(orphans, removed, 'volume and snapshot orphans removed');
    const seen = events.map((e) => [e.type, (e.data as { kind: string }).kind, (e.data as { id: string }).id]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['OrphanFound', 'volume', 'vol-rogue'],
        ['OrphanRemoved', 'volume', 'vol-rogue'],
        ['OrphanFound', 'snapshot', 'snap-rogue'],
        ['OrphanRemoved', 'snapshot', 'snap-rogue'],
      ]),
    );
    expect(seen).toHaveLength(4);
    expect((await storage.list()).map((v) => v.volumeId)).not.toContain('vol-rogue');
    expect(await storage.listSnapshots()).toEqual([]);
  });
});
