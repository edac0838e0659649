import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { settled } from '../support/eventually';
import { describeWithPostgres } from '../support/services';

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Volumes over HTTP (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let alice: string;
    let projectId: string;
    let instanceId: string;

    const get = (path: string) => running.http.get(path).set(bearer(alice));
    const post = (path: string, body: object = {}) => running.http.post(path).set(bearer(alice)).send(body);
    const settle = (operationId: string) => settled(async () => (await get(`/v1/operations/${operationId}`)).body, operationId);
    const usage = async () => {
      const u = (await get(`/v1/projects/${projectId}/usage`)).body;
      return { volumes: u.volumes.used, volumeGiB: u.volumeGiB.used };
    };

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      projectId = (
        await running.http
          .post('/v1/projects')
          .set(bearer(admin))
          .send({ name: 'v', quotas: { volumes: 3, volumeGiB: 100 } })
      ).body.id;
      await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'alice', password: 'long enough password', projectId, role: 'member' });
      alice = await running.login('alice', 'long enough password', 'v');
      await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
      await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'h', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 });
      await post('/v1/networks', { name: 'net', cidr: '10.8.0.0/24' });
      const launch = await post('/v1/instances', { name: 'vm', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] });
      instanceId = launch.body.instances[0].id;
      await settle(launch.body.operation.id);
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('creates, attaches, detaches and deletes a volume, with quota and device', async () => {
      const created = await post('/v1/volumes', { name: 'data', sizeGiB: 10 });
      expect(created.status).toBe(202);
      expect(created.body.volume).toEqual({ id: expect.stringMatching(/^vol-/), status: 'creating' });
      expect(await usage()).toEqual({ volumes: 1, volumeGiB: 10 });
      const volumeId = created.body.volume.id;
      expect((await settle(created.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/volumes/${volumeId}`)).body).toMatchObject({ status: 'available', sizeGiB: 10, instanceId: null });

      const attached = await post(`/v1/volumes/${volumeId}/attach`, { instanceId });
      expect((await settle(attached.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/volumes/${volumeId}`)).body).toMatchObject({ status: 'in-use', instanceId, device: 'vdb' });
      expect((await running.http.delete(`/v1/volumes/${volumeId}`).set(bearer(alice))).status).toBe(409);
      expect((await post(`/v1/volumes/${volumeId}/attach`, { instanceId })).status).toBe(409);

      const detached = await post(`/v1/volumes/${volumeId}/detach`);
      expect((await settle(detached.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/volumes/${volumeId}`)).body).toMatchObject({ status: 'available', instanceId: null, device: null });

      const deleted = await running.http.delete(`/v1/volumes/${volumeId}`).set(bearer(alice));
      expect(deleted.status).toBe(202);
      expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/volumes/${volumeId}`)).body.status).toBe('deleted');
      expect(await usage()).toEqual({ volumes: 0, volumeGiB: 0 });
      expect((await running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).storage().list()).some((v) => v.volumeId === volumeId)).toBe(false);
    });

    it('snapshots a volume, restores a volume from the snapshot, and keeps a volume with snapshots from deletion', async () => {
      const storage = running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).storage();
      const source = await post('/v1/volumes', { name: 'src', sizeGiB: 5 });
      await settle(source.body.operation.id);
      const volumeId = source.body.volume.id;

      const taken = await post(`/v1/volumes/${volumeId}/snapshots`, { name: 'before-upgrade' });
      expect(taken.status).toBe(202);
      expect(taken.headers.location).toBe(`/v1/operations/${taken.body.operation.id}`);
      expect(taken.body.snapshot).toEqual({ id: expect.stringMatching(/^snap-[0-9a-f]{20}$/), volumeId, status: 'creating' });
      const snapshotId = taken.body.snapshot.id;
      expect(await settle(taken.body.operation.id)).toMatchObject({ kind: 'snapshot-create', status: 'succeeded' });
      expect((await get(`/v1/volumes/${volumeId}/snapshots`)).body.items).toEqual([
        expect.objectContaining({ id: snapshotId, volumeId, projectId, name: 'before-upgrade', sizeGiB: 5, status: 'available' }),
      ]);
      expect((await get(`/v1/volumes/${volumeId}/snapshots/${snapshotId}`)).body.status).toBe('available');
      expect((await storage.listSnapshots()).map((x) => x.snapshotId)).toContain(snapshotId);

      const refused = await running.http.delete(`/v1/volumes/${volumeId}`).set(bearer(alice));
      expect([refused.status, refused.body.error.code]).toEqual([409, 'VolumeHasSnapshots']);

      // Attached: the snapshot is crash-consistent, as Cinder's with force.
      await settle((await post(`/v1/volumes/${volumeId}/attach`, { instanceId })).body.operation.id);
      const live = await post(`/v1/volumes/${volumeId}/snapshots`, { name: 'while-in-use' });
      expect((await settle(live.body.operation.id)).status).toBe('succeeded');
      await settle((await post(`/v1/volumes/${volumeId}/detach`)).body.operation.id);

      const tooSmall = await post('/v1/volumes', { name: 'restored', sizeGiB: 4, snapshotId });
      expect([tooSmall.status, tooSmall.body.error.code]).toEqual([400, 'VolumeTooSmall']);
      const restored = await post('/v1/volumes', { name: 'restored', sizeGiB: 6, snapshotId });
      expect(restored.status).toBe(202);
      expect((await settle(restored.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/volumes/${restored.body.volume.id}`)).body).toMatchObject({ status: 'available', sizeGiB: 6 });

      for (const id of [snapshotId, live.body.snapshot.id]) {
        const gone = await running.http.delete(`/v1/volumes/${volumeId}/snapshots/${id}`).set(bearer(alice));
        expect(gone.status).toBe(202);
        expect(await settle(gone.body.operation.id)).toMatchObject({ kind: 'snapshot-delete', status: 'succeeded' });
      }
      expect((await get(`/v1/volumes/${volumeId}/snapshots/${snapshotId}`)).status).toBe(404);
      expect((await get(`/v1/volumes/${volumeId}/snapshots`)).body.items).toEqual([]);
      expect(await storage.listSnapshots()).toEqual([]);
      const again = await running.http.delete(`/v1/volumes/${volumeId}/snapshots/${snapshotId}`).set(bearer(alice));
      expect([again.status, again.body.error.code]).toEqual([404, 'SnapshotNotFound']);
      const fromDeleted = await post('/v1/volumes', { name: 'late', sizeGiB: 5, snapshotId });
      expect([fromDeleted.status, fromDeleted.body.error.code]).toEqual([422, 'SnapshotNotFound']);

      for (const id of [restored.body.volume.id, volumeId]) {
        const deleted = await running.http.delete(`/v1/volumes/${id}`).set(bearer(alice));
        expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
      }
      expect(await usage()).toEqual({ volumes: 0, volumeGiB: 0 });
    });

    it('refuses snapshots of root volumes, of unknown volumes and with bad names, changing nothing', async () => {
      const root = (await get(`/v1/instances/${instanceId}`)).body.volumes[0];
      const ofRoot = await post(`/v1/volumes/${root}/snapshots`, { name: 'root' });
      expect([ofRoot.status, ofRoot.body.error.code]).toEqual([409, 'RootVolume']);
      const unknown = await post('/v1/volumes/vol-00000000000000000000/snapshots', { name: 'x' });
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'VolumeNotFound']);
      const v = await post('/v1/volumes', { name: 'named', sizeGiB: 1 });
      await settle(v.body.operation.id);
      for (const body of [{}, { name: '' }, { name: 'has spaces and / slashes' }, { name: 7 }]) {
        const bad = await post(`/v1/volumes/${v.body.volume.id}/snapshots`, body);
        expect([bad.status, bad.body.error.code]).toEqual([400, 'ValidationFailed']);
      }
      expect((await post('/v1/volumes', { name: 'r', sizeGiB: 1, snapshotId: 'not-a-snapshot' })).status).toBe(400);
      expect((await get(`/v1/volumes/${v.body.volume.id}/snapshots`)).body.items).toEqual([]);
      const deleted = await running.http.delete(`/v1/volumes/${v.body.volume.id}`).set(bearer(alice));
      expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
    });

    it('refuses beyond the quota, root volumes, unknown instances and bad sizes', async () => {
      const over = await post('/v1/volumes', { name: 'big', sizeGiB: 101 });
      expect(over.status).toBe(422);
      expect(over.body.error.code).toBe('QuotaExceeded');
      expect((await post('/v1/volumes', { name: 'zero', sizeGiB: 0 })).status).toBe(400);
      const root = (await get(`/v1/instances/${instanceId}`)).body.volumes[0];
      expect((await running.http.delete(`/v1/volumes/${root}`).set(bearer(alice))).body.error.code).toBe('RootVolume');
      const v = await post('/v1/volumes', { name: 'lonely', sizeGiB: 1 });
      await settle(v.body.operation.id);
      expect((await post(`/v1/volumes/${v.body.volume.id}/attach`, { instanceId: 'inst-00000000000000000000' })).status).toBe(404);
      expect((await usage()).volumes).toBe(1);
    });

    it('detaches data volumes when their instance is terminated, and keeps them', async () => {
      const v = await post('/v1/volumes', { name: 'keeper', sizeGiB: 2 });
      await settle(v.body.operation.id);
      await settle((await post(`/v1/volumes/${v.body.volume.id}/attach`, { instanceId })).body.operation.id);
      const deleted = await running.http.delete(`/v1/instances/${instanceId}`).set(bearer(alice));
      expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/volumes/${v.body.volume.id}`)).body).toMatchObject({ status: 'available', instanceId: null });
    });
  });
}
