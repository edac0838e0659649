import { requestedEventsSince } from '../support/events';
import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { describeWithPostgres } from '../support/services';
import { eventually, settled } from '../support/eventually';

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Instances over HTTP (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let alice: string;
    let projectId: string;
    let hosts: string[];

    const get = (path: string, token = alice) => running.http.get(path).set(bearer(token));
    const operationDone = (id: string) => settled(async () => (await get(`/v1/operations/${id}`)).body, id);
    const instanceIn = (id: string, state: string) =>
      eventually(
        async () => (await get(`/v1/instances/${id}`)).body,
        (i) => i.state === state,
        `instance ${id} to be ${state}`,
      );
    const usage = async () => (await get(`/v1/projects/${projectId}/usage`)).body;
    const hostUsed = async () => (await get('/v1/hosts', admin)).body.items.map((h: { used: { vcpus: number } }) => h.used.vcpus);

    beforeAll(async () => {
      backing = await createBacking(store, { ORCH_SPAWN_TIMEOUT_MS: '2000', ORCH_SOFT_REBOOT_TIMEOUT_MS: '500' });
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      projectId = (
        await running.http
          .post('/v1/projects')
          .set(bearer(admin))
          .send({ name: 'p', quotas: { instances: 5 } })
      ).body.id;
      await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'alice', password: 'long enough password', projectId, role: 'member' });
      alice = await running.login('alice', 'long enough password', 'p');
      await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'm1.small', vcpus: 1, ramMiB: 512, diskGiB: 1 });
      await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'cirros', os: 'linux', minDiskGiB: 1, source: '/images/cirros.qcow2' });
      hosts = [];
      for (const name of ['sim-a', 'sim-b']) {
        hosts.push((await running.http.post('/v1/hosts').set(bearer(admin)).send({ name, driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 })).body.id);
      }
      await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'private', cidr: '10.0.0.0/24' });
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('launches instances to active, with addresses, ports, host claims and quota', async () => {
      const launch = await running.http
        .post('/v1/instances')
        .set(bearer(alice))
        .send({ name: 'web', flavor: 'm1.small', image: 'cirros', networks: [{ network: 'private' }], minCount: 3, maxCount: 3 });
      expect(launch.status).toBe(202);
      expect(launch.headers.location).toBe(`/v1/operations/${launch.body.operation.id}`);
      expect(launch.body.instances.map((i: { name: string; state: string }) => [i.name, i.state])).toEqual([
        ['web-1', 'pending'],
        ['web-2', 'pending'],
        ['web-3', 'pending'],
      ]);
      expect((await usage()).instances).toEqual({ limit: 5, used: 3 }); // reserved before the 202

      const op = await operationDone(launch.body.operation.id);
      expect(op.status).toBe('succeeded');
      expect(op.steps.map((s: { state: string }) => s.state)).toEqual(['active', 'active', 'active']);
      const instances = (await get('/v1/instances?state=active')).body.items;
      expect(instances).toHaveLength(3);
      const ips = instances.map((i: { addresses: Array<{ ip: string }> }) => i.addresses[0].ip).sort();
      expect(ips).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4']);
      expect(instances.every((i: { host: string; powerState: string }) => hosts.includes(i.host) && i.powerState === 'running')).toBe(true);
      expect(new Set(instances.map((i: { host: string }) => i.host)).size).toBe(2); // spread
      const ports = (await get('/v1/ports')).body.items;
      expect(ports.map((p: { status: string }) => p.status)).toEqual(['active', 'active', 'active']);
      expect((await hostUsed()).reduce((a: number, b: number) => a + b, 0)).toBe(3);
      expect((await usage()).vcpus.used).toBe(3);
    });

    it('stops, starts and reboots an instance, keeping its address, and records each step', async () => {
      const [instance] = (await get('/v1/instances?name=web-1')).body.items;
      const act = (body: object) => running.http.post(`/v1/instances/${instance.id}/actions`).set(bearer(alice)).send(body);
      expect((await act({ action: 'stop' })).status).toBe(202);
      await instanceIn(instance.id, 'stopped');
      expect((await act({ action: 'stop' })).status).toBe(409);
      await act({ action: 'start' });
      await instanceIn(instance.id, 'active');
      await act({ action: 'reboot' });
      await eventually(
        async () => (await get(`/v1/instances/${instance.id}/events`)).body.items,
        (e) => e.some((x: { type: string }) => x.type === 'InstanceRebooted'),
        'reboot',
      );
      await act({ action: 'reboot', type: 'hard' });
      const after = await instanceIn(instance.id, 'active');
      expect(after.addresses).toEqual(instance.addresses);
      const types = (await get(`/v1/instances/${instance.id}/events`)).body.items.map((e: { type: string }) => e.type);
      expect(types).toEqual(expect.arrayContaining(['InstanceStopRequested', 'InstanceStopped', 'InstanceStarted', 'InstanceRebooted']));
    });

    it('terminates an instance and gives back its address, port, claim and quota', async () => {
      const [instance] = (await get('/v1/instances?name=web-3')).body.items;
      const deleted = await running.http.delete(`/v1/instances/${instance.id}`).set(bearer(alice));
      expect(deleted.status).toBe(202);
      expect((await operationDone(deleted.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/instances/${instance.id}`)).body.state).toBe('deleted');
      expect((await usage()).instances.used).toBe(2);
      expect((await get('/v1/ports')).body.items).toHaveLength(2);
      expect((await get('/v1/networks/private')).body.usedIps).toBe(2);
      expect((await hostUsed()).reduce((a: number, b: number) => a + b, 0)).toBe(2);
    });

    it('launches as many as the quota holds between minCount and maxCount, else nothing (422)', async () => {
      const refused = await running.http
        .post('/v1/instances')
        .set(bearer(alice))
        .send({ name: 'many', flavor: 'm1.small', image: 'cirros', networks: [{ network: 'private' }], minCount: 4, maxCount: 10 });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('QuotaExceeded');
      const partial = await running.http
        .post('/v1/instances')
        .set(bearer(alice))
        .send({ name: 'many', flavor: 'm1.small', image: 'cirros', networks: [{ network: 'private' }], minCount: 1, maxCount: 10 });
      expect(partial.status).toBe(202);
      expect(partial.body.instances).toHaveLength(3);
      expect((await operationDone(partial.body.operation.id)).status).toBe('succeeded');
      for (const i of partial.body.instances) await running.http.delete(`/v1/instances/${i.id}`).set(bearer(alice));
      await eventually(usage, (u) => u.instances.used === 2, 'quota back');
    });

    it('reschedules a failed spawn, then fails cleanly: error, and nothing left behind', async () => {
      const drivers = running.app.get<SimulatedHostDrivers>(HOST_DRIVERS);
      for (const hostId of hosts) drivers.hypervisor({ hostId, driver: 'simulated', uri: null }).simulation.configure({ failureRate: { start: 1 } });
      await running.readModelsCaughtUp();
      const before = { usage: await usage(), hosts: await hostUsed(), ports: (await get('/v1/ports')).body.items.length };
      const launch = await running.http
        .post('/v1/instances')
        .set(bearer(alice))
        .send({ name: 'doomed', flavor: 'm1.small', image: 'cirros', networks: [{ network: 'private' }] });
      const op = await operationDone(launch.body.operation.id);
      for (const hostId of hosts) drivers.hypervisor({ hostId, driver: 'simulated', uri: null }).simulation.configure({ failureRate: {} });
      expect(op.status).toBe('compensated');
      expect(op.errors[0].message).toMatch(/No valid host/);
      const id = launch.body.instances[0].id;
      const types = (await get(`/v1/instances/${id}/events`)).body.items.map((e: { type: string }) => e.type);
      expect(types.filter((t: string) => t === 'InstanceSpawnFailed')).toHaveLength(2); // one per host
      expect(types.slice(-2)).toEqual(['InstanceFailed', 'InstanceResourcesReleased']);
      await eventually(usage, (u) => u.instances.used === before.usage.instances.used, 'quota back');
      await running.readModelsCaughtUp();
      expect(await hostUsed()).toEqual(before.hosts);
      expect((await get('/v1/ports')).body.items).toHaveLength(before.ports);
      const domains = await Promise.all(hosts.map((hostId) => drivers.hypervisor({ hostId, driver: 'simulated', uri: null }).list()));
      expect(domains.flat().some((d) => d.instanceId === id)).toBe(false);
      expect((await drivers.storage().list()).some((v) => v.volumeId.includes(id.replace('inst-', '')))).toBe(false);
    });

    it('refuses bad launches with a clear 4xx', async () => {
      const base = { name: 'x', flavor: 'm1.small', image: 'cirros', networks: [{ network: 'private' }] };
      const cases: Array<[object, number, string]> = [
        [{ ...base, maxCount: 0 }, 400, 'ValidationFailed'],
        [{ ...base, maxCount: 100000 }, 400, 'ValidationFailed'],
        [{ ...base, minCount: 3, maxCount: 2 }, 400, 'InvalidCount'],
        [{ ...base, flavor: 'nope' }, 422, 'FlavorNotFound'],
        [{ ...base, image: 'nope' }, 422, 'ImageNotFound'],
        [{ ...base, networks: [{ network: 'nope' }] }, 422, 'NetworkNotFound'],
        [{ ...base, networks: [] }, 400, 'ValidationFailed'],
        [{ ...base, networks: [{ network: 'private', ip: '10.0.0.50' }], maxCount: 2 }, 400, 'FixedIpForManyInstances'],
        [{ ...base, networks: [{ network: 'private', ip: '10.0.1.5' }] }, 400, 'InvalidIp'],
        [{ ...base, keyName: 'missing' }, 422, 'KeyPairNotFound'],
        [{ ...base, zone: 'nowhere' }, 422, 'ZoneNotFound'],
      ];
      for (const [body, status, code] of cases) {
        const head = await running.store.headPosition();
        const r = await running.http.post('/v1/instances').set(bearer(alice)).send(body);
        expect({ body, status: r.status, code: r.body.error?.code }).toEqual({ body, status, code });
        expect(await requestedEventsSince(running.store, head)).toEqual([]);
      }
    });
  });
}
