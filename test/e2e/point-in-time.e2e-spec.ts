import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually, settled } from '../support/eventually';
import { describeWithPostgres } from '../support/services';

/** The audit side of the log: filters by who, what project and when, and resources as they were at a past moment. */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Audit: filters and point in time (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let alice: string;
    let projectId: string;
    let aliceId: string;

    const get = (token: string, p: string) => running.http.get(p).set(bearer(token));
    const post = (token: string, p: string, body: object = {}) => running.http.post(p).set(bearer(token)).send(body);
    const positionOf = async (stream: string, type: string) => (await running.store.readStream(stream)).find((e) => e.type === type)?.position as number;
    const settle = (operationId: string) => settled(async () => (await get(alice, `/v1/operations/${operationId}`)).body, operationId);

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      projectId = (await post(admin, '/v1/projects', { name: 'history' })).body.id;
      aliceId = (await post(admin, '/v1/users', { name: 'alice', password: 'long enough password', projectId, role: 'member' })).body.id;
      alice = await running.login('alice', 'long enough password', 'history');
      await post(admin, '/v1/flavors', { name: 'small', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await post(admin, '/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
      await post(admin, '/v1/hosts', { name: 'h', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 });
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('filters the audit log by principal, project and time range', async () => {
      const before = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 5));
      await post(alice, '/v1/networks', { name: 'audited', cidr: '10.71.0.0/24' });
      const mine = (await get(admin, `/v1/events?principal=${aliceId}&limit=1000`)).body.items as Array<{ metadata: { principal: string; at: string } }>;
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((e) => e.metadata.principal === aliceId)).toBe(true);
      const since = (await get(admin, `/v1/events?from=${before}&limit=1000`)).body.items as Array<{ type: string; metadata: { at: string } }>;
      expect(since.every((e) => e.metadata.at >= before)).toBe(true);
      expect(since.map((e) => e.type)).toContain('NetworkCreated');
      expect(since.map((e) => e.type)).not.toContain('ProjectCreated');
      expect((await get(admin, `/v1/events?to=${before}&type=NetworkCreated`)).body.items).toEqual([]);
      const theirs = (await get(admin, `/v1/events?project=${projectId}&limit=1000`)).body.items as Array<{ metadata: { projectId: string } }>;
      expect(theirs.every((e) => e.metadata.projectId === projectId)).toBe(true);
      // A member sees their own project whatever project they name.
      const adminProject = (await get(admin, '/v1/projects')).body.items.find((p: { name: string }) => p.name === 'admin').id;
      const asked = (await get(alice, `/v1/events?project=${adminProject}&limit=1000`)).body.items as Array<{ metadata: { projectId: string } }>;
      expect(asked.every((e) => e.metadata.projectId === projectId)).toBe(true);
      expect((await get(admin, '/v1/events?from=yesterday')).status).toBe(400);
    });

    it('shows an instance, a volume and a network as they were at a position or a time', async () => {
      const network = (await post(alice, '/v1/networks', { name: 'past', cidr: '10.72.0.0/24' })).body;
      const launch = await post(alice, '/v1/instances', { name: 'then', flavor: 'small', image: 'img', networks: [{ network: 'past' }] });
      const id = launch.body.instances[0].id;
      await settle(launch.body.operation.id);
      const requestedAt = await positionOf(`instance-${id}`, 'InstanceRequested');
      expect((await get(alice, `/v1/instances/${id}?asOf=${requestedAt}`)).body).toMatchObject({ id, state: 'pending', taskState: 'scheduling', host: null });
      expect((await get(alice, `/v1/instances/${id}?asOf=${new Date().toISOString()}`)).body).toMatchObject({ state: 'active', taskState: null });
      expect((await get(alice, `/v1/instances/${id}?asOf=${requestedAt - 1}`)).status).toBe(404);

      const volume = await post(alice, '/v1/volumes', { name: 'old', sizeGiB: 2 });
      await settle(volume.body.operation.id);
      const volumeId = volume.body.volume.id;
      const volumeRequestedAt = await positionOf(`volume-${volumeId}`, 'VolumeRequested');
      expect((await get(alice, `/v1/volumes/${volumeId}?asOf=${volumeRequestedAt}`)).body).toMatchObject({ id: volumeId, name: 'old', status: 'creating' });
      expect((await get(alice, `/v1/volumes/${volumeId}`)).body.status).toBe('available');

      await settle((await running.http.delete(`/v1/instances/${id}`).set(bearer(alice))).body.operation.id);
      const beforeDelete = (await running.store.headPosition()) as number;
      expect((await running.http.delete(`/v1/networks/${network.id}`).set(bearer(alice))).status).toBeLessThan(300);
      await eventually(
        async () => (await get(alice, `/v1/networks/${network.id}`)).status,
        (s) => s === 404,
        'network gone',
      );
      expect((await get(alice, `/v1/networks/${network.id}?asOf=${beforeDelete}`)).body).toMatchObject({
        name: 'past',
        cidr: '10.72.0.0/24',
        status: 'active',
        usedIps: 0,
      });
      expect((await get(alice, `/v1/networks/${network.id}?asOf=${await running.store.headPosition()}`)).body.status).toBe('deleted');
      expect((await get(alice, `/v1/instances/${id}?asOf=soon`)).status).toBe(400);
    });
  });
}
