import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { describeWithPostgres } from '../support/services';
import { ed25519Key } from '../support/ssh-keys';

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Compute catalog and networks over HTTP (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let alice: string;
    let bob: string;
    let projectA: string;

    beforeAll(async () => {
      backing = await createBacking(store, { ORCH_VLAN_RANGE: '100-104' });
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      projectA = (
        await running.http
          .post('/v1/projects')
          .set(bearer(admin))
          .send({ name: 'a', quotas: { networks: 3 } })
      ).body.id;
      const projectB = (await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'b' })).body.id;
      await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'alice', password: 'long enough password', projectId: projectA, role: 'member' });
      await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'bob', password: 'long enough password', projectId: projectB, role: 'member' });
      alice = await running.login('alice', 'long enough password', 'a');
      bob = await running.login('bob', 'long enough password', 'b');
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('manages flavors: admin creates, everyone reads by id or name, names are unique and reusable after delete', async () => {
      const created = await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'm1.tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.stringMatching(/^flv-/), name: 'm1.tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      expect((await running.http.get('/v1/flavors/M1.TINY').set(bearer(alice))).body.id).toBe(created.body.id);
      expect((await running.http.get(`/v1/flavors/${created.body.id}`).set(bearer(alice))).status).toBe(200);
      expect((await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'm1.tiny', vcpus: 2, ramMiB: 512, diskGiB: 1 })).status).toBe(409);
      expect((await running.http.post('/v1/flavors').set(bearer(alice)).send({ name: 'm1.mine', vcpus: 1, ramMiB: 256, diskGiB: 1 })).status).toBe(403);
      expect((await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'm1.huge', vcpus: 100000, ramMiB: 256, diskGiB: 1 })).status).toBe(400);
      expect((await running.http.delete('/v1/flavors/m1.tiny').set(bearer(admin))).status).toBe(204);
      expect((await running.http.get('/v1/flavors/m1.tiny').set(bearer(alice))).status).toBe(404);
      expect((await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'm1.tiny', vcpus: 1, ramMiB: 128, diskGiB: 1 })).status).toBe(201);
    });

    it('registers images', async () => {
      const created = await running.http
        .post('/v1/images')
        .set(bearer(admin))
        .send({ name: 'cirros', os: 'linux', minDiskGiB: 1, source: '/images/cirros.qcow2' });
      expect(created.status).toBe(201);
      expect((await running.http.get('/v1/images').set(bearer(bob))).body.items.map((i: { name: string }) => i.name)).toContain('cirros');
      expect((await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'bad', os: 'linux', minDiskGiB: -1, source: 'x' })).status).toBe(400);
    });

    it('imports keypairs per project, with their fingerprint, and refuses what is not a public key', async () => {
      const created = await running.http
        .post('/v1/keypairs')
        .set(bearer(alice))
        .send({ name: 'laptop', publicKey: ed25519Key(1) });
      expect(created.status).toBe(201);
      expect(created.body.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(
        (
          await running.http
            .post('/v1/keypairs')
            .set(bearer(bob))
            .send({ name: 'laptop', publicKey: ed25519Key(2) })
        ).status,
      ).toBe(201);
      expect((await running.http.get('/v1/keypairs').set(bearer(alice))).body.items).toHaveLength(1);
      expect(
        (
          await running.http
            .post('/v1/keypairs')
            .set(bearer(alice))
            .send({ name: 'laptop', publicKey: ed25519Key(3) })
        ).status,
      ).toBe(409);
      const forged = await running.http
        .post('/v1/keypairs')
        .set(bearer(alice))
        .send({ name: 'forged', publicKey: `ssh-rsa ${ed25519Key(4).split(' ')[1]}` });
      expect(forged.status).toBe(400);
      expect(forged.body.error.code).toBe('InvalidPublicKey');
      expect((await running.http.delete('/v1/keypairs/laptop').set(bearer(alice))).status).toBe(204);
      expect((await running.http.get('/v1/keypairs/laptop').set(bearer(bob))).status).toBe(200);
    });

    it('registers hosts and shows their schedulable capacity', async () => {
      const host = await running.http
        .post('/v1/hosts')
        .set(bearer(admin))
        .send({ name: 'sim-1', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100, zone: 'az1' });
      expect(host.status).toBe(201);
      expect(host.body).toMatchObject({ zone: 'az1', enabled: true, ratios: { cpu: 16, ram: 1.5, disk: 1 }, free: { vcpus: 64, ramMiB: 12288, diskGiB: 100 } });
      expect(
        (await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'SIM-1', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 })).status,
      ).toBe(409);
      expect((await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'x', driver: 'vmware', vcpus: 4, ramMiB: 8192, diskGiB: 100 })).status).toBe(
        400,
      );
      expect(
        (await running.http.post('/v1/hosts').set(bearer(alice)).send({ name: 'y', driver: 'simulated', vcpus: 4, ramMiB: 8192, diskGiB: 100 })).status,
      ).toBe(403);
    });

    it('creates networks with pool VLANs and gateways, within the quota, and gives everything back on delete', async () => {
      const usage = async () => (await running.http.get(`/v1/projects/${projectA}/usage`).set(bearer(alice))).body.networks;
      const n1 = await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'front', cidr: '10.0.0.0/24' });
      expect(n1.status).toBe(201);
      expect(n1.body).toMatchObject({
        id: expect.stringMatching(/^net-/),
        projectId: projectA,
        cidr: '10.0.0.0/24',
        gateway: '10.0.0.1',
        vlan: 100,
        usedIps: 0,
      });
      const n2 = await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'back', cidr: '10.0.1.0/24', gateway: '10.0.1.254' });
      expect(n2.body).toMatchObject({ vlan: 101, gateway: '10.0.1.254' });
      expect(await usage()).toEqual({ limit: 3, used: 2 });

      // Refusals leave nothing behind: no quota, no VLAN, no name.
      expect((await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'front', cidr: '10.0.2.0/24' })).status).toBe(409);
      expect((await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'bits', cidr: '10.0.2.1/24' })).status).toBe(400);
      expect((await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'gw', cidr: '10.0.2.0/24', gateway: '10.0.3.1' })).status).toBe(400);
      expect((await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'mine', cidr: '10.0.2.0/24', vlan: 200 })).status).toBe(403);
      expect((await running.http.post('/v1/networks').set(bearer(admin)).send({ name: 'taken', cidr: '10.0.2.0/24', vlan: 100 })).status).toBe(409);
      expect(await usage()).toEqual({ limit: 3, used: 2 });

      const n3 = await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'third', cidr: '10.0.2.0/24' });
      expect(n3.body.vlan).toBe(102);
      const over = await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'fourth', cidr: '10.0.3.0/24' });
      expect(over.status).toBe(422);
      expect(over.body.error.code).toBe('QuotaExceeded');

      expect((await running.http.get(`/v1/networks/${n1.body.id}`).set(bearer(bob))).status).toBe(404);
      expect((await running.http.delete(`/v1/networks/${n1.body.id}`).set(bearer(bob))).status).toBe(404);
      expect((await running.http.get('/v1/networks/front').set(bearer(alice))).body.id).toBe(n1.body.id);

      expect((await running.http.delete('/v1/networks/front').set(bearer(alice))).status).toBe(204);
      expect(await usage()).toEqual({ limit: 3, used: 2 });
      const again = await running.http.post('/v1/networks').set(bearer(alice)).send({ name: 'front', cidr: '10.0.0.0/24' });
      expect(again.body.vlan).toBe(100);
    });

    it('gives concurrent network creations distinct VLANs and refuses when the pool is exhausted', async () => {
      const responses = await Promise.all(
        [0, 1, 2].map((i) =>
          running.http
            .post('/v1/networks')
            .set(bearer(bob))
            .send({ name: `par-${i}`, cidr: `10.1.${i}.0/24` }),
        ),
      );
      const created = responses.filter((r) => r.status === 201);
      const vlans = created.map((r) => r.body.vlan);
      expect(new Set(vlans).size).toBe(vlans.length);
      // Pool 100-104: project A holds three, so two of B's three get one and the last finds the pool empty.
      expect(created).toHaveLength(2);
      const refused = responses.find((r) => r.status !== 201);
      expect(refused?.status).toBe(422);
      expect(refused?.body.error.code).toBe('VlanPoolExhausted');
      // The refused one gave its quota and name back.
      const projectB = (await running.http.get('/v1/projects').set(bearer(bob))).body.items[0].id;
      expect((await running.http.get(`/v1/projects/${projectB}/usage`).set(bearer(bob))).body.networks.used).toBe(2);
    });
  });
}
