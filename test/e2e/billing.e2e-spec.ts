import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually, settled } from '../support/eventually';
import { describeWithPostgres } from '../support/services';

type Item = {
  projectId: string;
  hour: string;
  meter: string;
  resourceId: string;
  rateKey: string;
  quantity: number;
  unit: string;
  amount: number;
  open: boolean;
};

/**
 * Billing on the embedded default's in-process bus: the relay hands every event to the billing
 * consumer inside the orchestrator, which meters instances, data volumes and floating IPs; the
 * usage API prices it, and the check recomputes it from the log.
 */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Billing (${store}, in-process bus)`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let alice: string;
    let projectId: string;

    const as = (token: string) => ({
      get: (p: string) => running.http.get(p).set(bearer(token)),
      post: (p: string, body: object = {}) => running.http.post(p).set(bearer(token)).send(body),
      del: (p: string) => running.http.delete(p).set(bearer(token)),
    });
    const settle = (operationId: string) => settled(async () => (await as(alice).get(`/v1/operations/${operationId}`)).body, operationId);
    const check = () =>
      eventually(
        async () => (await as(admin).get('/v1/billing/check')).body,
        (c) => c.ok === true,
        'billing equal to the log',
        20_000,
        100,
      );

    beforeAll(async () => {
      backing = await createBacking(store, {
        ORCH_PRICE_SHEET: JSON.stringify({
          currency: 'EUR',
          instanceHour: { small: 3.6, default: 1 },
          volumeGiBHour: 0.36,
          snapshotGiBHour: 0.18,
          floatingIpHour: 7.2,
        }),
      });
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      projectId = (await as(admin).post('/v1/projects', { name: 'billed' })).body.id;
      await as(admin).post('/v1/users', { name: 'alice', password: 'long enough password', projectId, role: 'member' });
      alice = await running.login('alice', 'long enough password', 'billed');
      await as(admin).post('/v1/flavors', { name: 'small', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await as(admin).post('/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
      await as(admin).post('/v1/hosts', { name: 'h', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 });
      await as(alice).post('/v1/networks', { name: 'net', cidr: '10.33.0.0/24' });
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('meters an instance while it runs, a data volume and its snapshot in GiB-hours and a floating IP while held, and prices them', async () => {
      const launch = await as(alice).post('/v1/instances', { name: 'vm', flavor: 'small', image: 'img', networks: [{ network: 'net' }] });
      await settle(launch.body.operation.id);
      const instanceId = launch.body.instances[0].id;
      const volume = await as(alice).post('/v1/volumes', { name: 'data', sizeGiB: 10 });
      await settle(volume.body.operation.id);
      const fip = (await as(alice).post('/v1/floating-ips')).body;
      const snapshot = (await as(alice).post(`/v1/volumes/${volume.body.volume.id}/snapshots`, { name: 'snap' })).body;
      await settle(snapshot.operation.id);
      await new Promise((r) => setTimeout(r, 300));
      await settle((await as(alice).del(`/v1/volumes/${volume.body.volume.id}/snapshots/${snapshot.snapshot.id}`)).body.operation.id);
      await settle((await as(alice).post(`/v1/instances/${instanceId}/actions`, { action: 'stop' })).body.operation.id);
      await settle((await as(alice).del(`/v1/volumes/${volume.body.volume.id}`)).body.operation.id);
      expect((await as(alice).del(`/v1/floating-ips/${fip.id}`)).status).toBeLessThan(300);
      await check();

      const usage = (await as(alice).get('/v1/billing/usage')).body;
      expect(usage).toMatchObject({ projectId, currency: 'EUR' });
      const byMeter = (meter: string) => (usage.items as Item[]).filter((i) => i.meter === meter);
      const span = (from: string, to: string) => Date.parse(to) - Date.parse(from);
      const inst = await running.store.readStream(`instance-${instanceId}`);
      const ran = span(
        (inst.find((e) => e.type === 'InstanceActivated')?.data as { at: string }).at,
        (inst.find((e) => e.type === 'InstanceStopped')?.data as { at: string }).at,
      );
      expect(byMeter('instance').reduce((s, i) => s + i.quantity, 0)).toBe(ran);
      expect(byMeter('instance').every((i) => i.rateKey !== '' && !i.open && i.unit === 'instance-hours')).toBe(true);
      expect(byMeter('instance').reduce((s, i) => s + i.amount, 0)).toBeCloseTo((ran / 3_600_000) * 3.6, 5);
      const volumeStream = await running.store.readStream(`volume-${volume.body.volume.id}`);
      const at = (type: string) => (volumeStream.find((e) => e.type === type)?.data as { at: string }).at;
      expect(byMeter('volume').reduce((s, i) => s + i.quantity, 0)).toBe(10 * span(at('VolumeCreated'), at('VolumeDeleted')));
      const kept = 10 * span(at('VolumeSnapshotCreated'), at('VolumeSnapshotDeleted'));
      expect(kept).toBeGreaterThanOrEqual(10 * 300);
      expect(byMeter('snapshot').reduce((s, i) => s + i.quantity, 0)).toBe(kept);
      expect(byMeter('snapshot').every((i) => i.resourceId === snapshot.snapshot.id && i.unit === 'GiB-hours' && !i.open)).toBe(true);
      expect(byMeter('snapshot').reduce((s, i) => s + i.amount, 0)).toBeCloseTo((kept / 3_600_000) * 0.18, 5);
      expect(byMeter('floating-ip')).toHaveLength(1);
      expect(byMeter('volume').every((i) => i.resourceId === volume.body.volume.id)).toBe(true); // the root volume is in the flavor's price
      expect(usage.total).toBeCloseTo(
        (usage.items as Item[]).reduce((s, i) => s + i.amount, 0),
        6,
      );
    });

    it('shows a running instance as an open interval up to now, and keeps projects apart', async () => {
      const launch = await as(alice).post('/v1/instances', { name: 'still', flavor: 'small', image: 'img', networks: [{ network: 'net' }] });
      await settle(launch.body.operation.id);
      await check();
      const open = async () => ((await as(alice).get('/v1/billing/usage')).body.items as Item[]).filter((i) => i.resourceId === launch.body.instances[0].id);
      const first = (await open()).reduce((s, i) => s + i.quantity, 0);
      await new Promise((r) => setTimeout(r, 200));
      const later = await open();
      expect(later.every((i) => i.open)).toBe(true);
      expect(later.reduce((s, i) => s + i.quantity, 0)).toBeGreaterThan(first);
      expect((await as(alice).get(`/v1/billing/usage?project=${'prj-00000000000000000000'}`)).status).toBe(404);
      expect((await as(admin).get(`/v1/billing/usage?project=${projectId}`)).body.items.length).toBeGreaterThan(0);
      expect((await as(alice).get('/v1/billing/check')).status).toBe(403);
      expect((await as(alice).get('/v1/billing/usage?from=yesterday')).status).toBe(400);
    });
  });
}
