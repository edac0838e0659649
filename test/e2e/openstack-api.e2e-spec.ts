import { createHash } from 'node:crypto';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually } from '../support/eventually';
import { describeWithPostgres } from '../support/services';
import { OpenStackLogin, prepareCloud } from '../support/openstack-clients';

/** The OpenStack APIs over HTTP: what the clients do not show (error shapes, microversions, Keystone's token calls, idempotency, streaming). */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`OpenStack APIs over HTTP (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let alice: string;
    let projectId: string;
    const member: OpenStackLogin = { username: 'alice', password: 'alice long password', project: 'demo' };
    const nova = (token: string) => ({ 'X-Auth-Token': token });
    const keystoneLogin = (body: object) => running.http.post('/identity/v3/auth/tokens').send(body);
    const password = (user: Record<string, unknown>, scope?: unknown) => ({
      auth: { identity: { methods: ['password'], password: { user } }, ...(scope === undefined ? {} : { scope }) },
    });

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      ({ projectId } = await prepareCloud(running, admin, member));
      const login = await keystoneLogin(
        password({ name: 'alice', domain: { name: 'Default' }, password: member.password }, { project: { name: 'demo', domain: { id: 'default' } } }),
      );
      alice = login.headers['x-subject-token'];
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('serves the version documents the clients discover', async () => {
      const identity = await running.http.get('/identity');
      expect(identity.status).toBe(300);
      expect(identity.body.versions.values[0].id).toBe('v3.14');
      expect((await running.http.get('/identity/v3')).body.version.status).toBe('stable');
      const compute = await running.http.get('/compute/v2.1');
      expect(compute.body.version).toMatchObject({ id: 'v2.1', status: 'CURRENT', version: '2.73', min_version: '2.1' });
      const image = await running.http.get('/image');
      expect(image.status).toBe(300);
      expect(image.body.versions[0].links[0].href).toMatch(/\/image\/v2\/$/);
    });

    it('authenticates with Keystone by name, by id, unscoped and by token, and validates and revokes tokens', async () => {
      const byName = await keystoneLogin(password({ name: 'alice', domain: { name: 'Default' }, password: member.password }, { project: { id: projectId } }));
      expect(byName.status).toBe(201);
      expect(byName.body.token).toMatchObject({
        methods: ['password'],
        user: { name: 'alice', domain: { id: 'default' } },
        project: { id: projectId, name: 'demo' },
      });
      expect(byName.body.token.roles).toEqual([{ id: 'member', name: 'member' }]);
      expect(byName.body.token.catalog.map((s: { type: string }) => s.type).sort()).toEqual(['compute', 'identity', 'image', 'network']);
      const userId = byName.body.token.user.id;

      const byId = await keystoneLogin(password({ id: userId, password: member.password }, { project: { name: 'demo', domain: { name: 'Default' } } }));
      expect(byId.status).toBe(201);
      const unscoped = await keystoneLogin(password({ name: 'alice', domain: { id: 'default' }, password: member.password }));
      expect(unscoped.body.token.project.id).toBe(projectId); // the user's first project, as Keystone's default project
      const rescoped = await keystoneLogin({
        auth: { identity: { methods: ['token'], token: { id: unscoped.headers['x-subject-token'] } }, scope: { project: { id: projectId } } },
      });
      expect(rescoped.status).toBe(201);
      expect(rescoped.body.token.methods).toEqual(['token']);

      const subject = byId.headers['x-subject-token'];
      const validated = await running.http.get('/identity/v3/auth/tokens').set({ ...nova(alice), 'X-Subject-Token': subject });
      expect(validated.status).toBe(200);
      expect(validated.headers['x-subject-token']).toBe(subject);
      expect(validated.body.token.user.id).toBe(userId);
      expect((await running.http.head('/identity/v3/auth/tokens').set({ ...nova(alice), 'X-Subject-Token': subject })).status).toBe(200);
      expect((await running.http.delete('/identity/v3/auth/tokens').set({ ...nova(alice), 'X-Subject-Token': subject })).status).toBe(204);
      const revoked = await running.http.get('/identity/v3/auth/tokens').set({ ...nova(alice), 'X-Subject-Token': subject });
      expect(revoked.status).toBe(404);
      expect((await running.http.get('/compute/v2.1/servers').set(nova(subject))).status).toBe(401);

      const wrong = await keystoneLogin(password({ name: 'alice', domain: { name: 'Default' }, password: 'not the password' }, { project: { id: projectId } }));
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
      const otherDomain = await keystoneLogin(
        password({ name: 'alice', domain: { name: 'Elsewhere' }, password: member.password }, { project: { id: projectId } }),
      );
      expect(otherDomain.status).toBe(401);
      const malformed = await keystoneLogin({ auth: { identity: { methods: ['password'] } } });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe(400);
    });

    it("lists a member's projects through /users/{id}/projects and /auth/projects, and keeps /projects for admins", async () => {
      const me = (await running.http.get('/v1/auth/tokens/current').set(bearer(alice))).body.userId;
      expect((await running.http.get('/identity/v3/projects').set(nova(alice))).status).toBe(403);
      const mine = await running.http.get(`/identity/v3/users/${me}/projects`).set(nova(alice));
      expect(mine.body.projects.map((p: { name: string }) => p.name)).toEqual(['demo']);
      expect((await running.http.get('/identity/v3/auth/projects').set(nova(alice))).body.projects.map((p: { id: string }) => p.id)).toEqual([projectId]);
      const all = await running.http.get('/identity/v3/projects').set(nova(admin));
      expect(all.body.projects.map((p: { name: string }) => p.name).sort()).toEqual(['admin', 'demo']);
      expect((await running.http.get('/identity/v3/roles').set(nova(alice))).body.roles.map((r: { name: string }) => r.name)).toEqual([
        'admin',
        'member',
        'reader',
      ]);
    });

    it('negotiates microversions and answers with the one used', async () => {
      const plain = await running.http.get('/compute/v2.1/flavors').set(nova(alice));
      expect(plain.headers['x-openstack-nova-api-version']).toBe('2.1');
      const modern = await running.http.get('/compute/v2.1/servers/detail').set({ ...nova(alice), 'OpenStack-API-Version': 'compute 2.47' });
      expect(modern.headers['openstack-api-version']).toBe('compute 2.47');
      expect(modern.headers.vary).toContain('OpenStack-API-Version');
      const latest = await running.http.get('/compute/v2.1/flavors').set({ ...nova(alice), 'X-OpenStack-Nova-API-Version': 'latest' });
      expect(latest.headers['x-openstack-nova-api-version']).toBe('2.73');
      const tooNew = await running.http.get('/compute/v2.1/flavors').set({ ...nova(alice), 'X-OpenStack-Nova-API-Version': '2.99' });
      expect(tooNew.status).toBe(406);
      expect(Object.values(tooNew.body)[0]).toMatchObject({ code: 406, message: expect.stringContaining('2.99') });
      expect((await running.http.get('/compute/v2.1/os-security-groups').set({ ...nova(alice), 'X-OpenStack-Nova-API-Version': '2.36' })).status).toBe(404);
    });

    it('boots servers, shows them by microversion, pages them and keeps other projects out', async () => {
      const network = (await running.http.get('/network/v2.0/networks?name=private').set(nova(alice))).body.networks[0];
      const created = await running.http
        .post('/compute/v2.1/servers')
        .set(nova(alice))
        .send({ server: { name: 'app', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: network.id }], min_count: 3, max_count: 3 } });
      expect(created.status).toBe(202);
      await eventually(
        async () => (await running.http.get('/compute/v2.1/servers/detail?status=ACTIVE').set(nova(alice))).body.servers,
        (servers: unknown[]) => servers.length === 3,
        'three active servers',
      );
      const old = (await running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set(nova(alice))).body.server;
      expect(old.flavor).toEqual({ id: expect.stringMatching(/^flv-/), links: expect.any(Array) });
      expect(old.addresses.private[0]).toMatchObject({ version: 4, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': expect.any(String) });
      expect(old).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1, tenant_id: projectId });
      expect(old).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
      const embedded = (
        await running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set({ ...nova(alice), 'OpenStack-API-Version': 'compute 2.47' })
      ).body.server;
      expect(embedded.flavor).toEqual({ vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.small', extra_specs: {} });
      expect(embedded.locked).toBe(false);
      const newest = (
        await running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set({ ...nova(alice), 'OpenStack-API-Version': 'compute 2.73' })
      ).body.server;
      expect(newest).toMatchObject({ locked_reason: null, server_groups: [], trusted_image_certificates: null, tags: [], description: null });
      const flavor = (await running.http.get(`/compute/v2.1/flavors/${old.flavor.id}`).set({ ...nova(alice), 'OpenStack-API-Version': 'compute 2.61' })).body
        .flavor;
      expect(flavor).toMatchObject({ description: null, extra_specs: {} });

      const first = await running.http.get('/compute/v2.1/servers?limit=2').set(nova(alice));
      expect(first.body.servers).toHaveLength(2);
      const next = new URL(first.body.servers_links[0].href);
      const second = await running.http.get(`${next.pathname}${next.search}`).set(nova(alice));
      expect(second.body.servers).toHaveLength(1);
      expect(second.body).not.toHaveProperty('servers_links');
      expect(new Set([...first.body.servers, ...second.body.servers].map((s: { id: string }) => s.id)).size).toBe(3);
      expect((await running.http.get('/compute/v2.1/servers?marker=inst-00000000000000000000').set(nova(alice))).status).toBe(400);
      expect(
        (await running.http.get('/compute/v2.1/servers?name=^app-[12]$').set(nova(alice))).body.servers.map((s: { name: string }) => s.name).sort(),
      ).toEqual(['app-1', 'app-2']);

      // Another project's server is 404 as in REST; a member may not list every project's.
      const adminView = await running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set(nova(admin));
      expect(adminView.body.server['OS-EXT-SRV-ATTR:host']).toMatch(/^host-/);
      const stranger = await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'other' });
      await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'bob', password: 'bob long password', projectId: stranger.body.id, role: 'member' });
      const bob = await running.login('bob', 'bob long password', 'other');
      const hidden = await running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set(nova(bob));
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
      expect((await running.http.get('/compute/v2.1/servers?all_tenants=1').set(nova(alice))).status).toBe(403);
      expect((await running.http.get('/compute/v2.1/servers?all_tenants=1').set(nova(admin))).body.servers).toHaveLength(3);
      expect((await running.http.get('/compute/v2.1/servers').set(nova(admin))).body.servers).toHaveLength(0);
    });

    it('refuses bad input with 400 and records nothing; an exceeded quota is 403 as Nova says it', async () => {
      const head = await running.store.headPosition();
      const bad = [
        { server: { name: 'x', flavorRef: 'm1.small', networks: 'auto' } },
        { server: { name: 'x', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], min_count: 0 } },
        { server: { name: 'x', imageRef: 'cirros', flavorRef: 'nope', networks: [{ uuid: 'private' }] } },
        { server: { name: 'x', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], user_data: 'not base64!' } },
        { server: { name: '\u0000', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } },
        { nothing: true },
      ];
      for (const body of bad) {
        const response = await running.http.post('/compute/v2.1/servers').set(nova(alice)).send(body);
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
        expect(Object.keys(response.body)).toEqual(['badRequest']);
      }
      expect((await running.http.post('/compute/v2.1/servers/inst-x/action').set(nova(alice)).send({ 'os-fly': null })).status).toBe(400);
      expect((await running.http.post('/compute/v2.1/servers').set(nova(alice)).set('Content-Type', 'application/json').send('{"server": ')).status).toBe(400);
      expect(await running.store.headPosition()).toBe(head);

      const tooMany = await running.http
        .post('/compute/v2.1/servers')
        .set(nova(alice))
        .send({ server: { name: 'big', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], min_count: 41 } });
      expect(tooMany.status).toBe(403);
      expect(tooMany.body.forbidden.message).toMatch(/^Quota exceeded for instances/);
    });

    it('keeps server metadata and tags as events, the same over Nova and REST', async () => {
      const created = await running.http
        .post('/compute/v2.1/servers')
        .set(nova(alice))
        .send({ server: { name: 'meta', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], metadata: { role: 'db' } } });
      expect(created.status).toBe(202);
      const id = created.body.server.id;
      const path = `/compute/v2.1/servers/${id}`;
      const v226 = { ...nova(alice), 'X-OpenStack-Nova-API-Version': '2.26' };
      expect((await running.http.get(`${path}/metadata`).set(nova(alice))).body).toEqual({ metadata: { role: 'db' } });
      expect(
        (
          await running.http
            .post(`${path}/metadata`)
            .set(nova(alice))
            .send({ metadata: { tier: 'back' } })
        ).body,
      ).toEqual({ metadata: { role: 'db', tier: 'back' } });
      expect(
        (
          await running.http
            .put(`${path}/metadata/zone`)
            .set(nova(alice))
            .send({ meta: { zone: 'a' } })
        ).body,
      ).toEqual({ meta: { zone: 'a' } });
      expect(
        (
          await running.http
            .put(`${path}/metadata/zone`)
            .set(nova(alice))
            .send({ meta: { other: 'a' } })
        ).status,
      ).toBe(400);
      expect((await running.http.delete(`${path}/metadata/role`).set(nova(alice))).status).toBe(204);
      expect((await running.http.delete(`${path}/metadata/role`).set(nova(alice))).status).toBe(404);
      expect((await running.http.get(`${path}/metadata/tier`).set(nova(alice))).body).toEqual({ meta: { tier: 'back' } });

      expect((await running.http.get(`${path}/tags`).set(nova(alice))).status).toBe(404); // tags came with 2.26
      expect((await running.http.put(`${path}/tags/blue`).set(v226)).status).toBe(201);
      expect((await running.http.put(`${path}/tags/blue`).set(v226)).status).toBe(204);
      expect(
        (
          await running.http
            .put(`${path}/tags`)
            .set(v226)
            .send({ tags: ['blue', 'green'] })
        ).body,
      ).toEqual({ tags: ['blue', 'green'] });
      expect((await running.http.get(`${path}/tags/green`).set(v226)).status).toBe(204);
      expect((await running.http.delete(`${path}/tags/red`).set(v226)).status).toBe(404);
      const tooMany = await running.http
        .put(`${path}/tags`)
        .set(v226)
        .send({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) });
      expect(tooMany.status).toBe(400);

      const tagged = await running.http
        .post('/compute/v2.1/servers')
        .set({ ...nova(alice), 'OpenStack-API-Version': 'compute 2.52' })
        .send({ server: { name: 'tagged', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], tags: ['a', 'b'] } });
      expect(tagged.status).toBe(202);
      expect(
        (await running.http.get(`/compute/v2.1/servers/${tagged.body.server.id}/tags`).set({ ...nova(alice), 'OpenStack-API-Version': 'compute 2.52' })).body
          .tags,
      ).toEqual(['a', 'b']);
      await running.http.delete(`/compute/v2.1/servers/${tagged.body.server.id}`).set(nova(alice)).expect(204);
      const oldTags = await running.http
        .post('/compute/v2.1/servers')
        .set(nova(alice))
        .send({ server: { name: 'x', imageRef: 'cirros', flavorRef: 'm1.small', networks: 'auto', tags: ['a'] } });
      expect(oldTags.status).toBe(400); // tags at create came with 2.52
      await running.readModelsCaughtUp();
      const rest = (await running.http.get(`/v1/instances/${id}`).set(bearer(alice))).body;
      expect(rest).toMatchObject({ metadata: { tier: 'back', zone: 'a' }, tags: ['blue', 'green'] });
      const shown = (await running.http.get(path).set(v226)).body.server;
      expect(shown).toMatchObject({ metadata: { tier: 'back', zone: 'a' }, tags: ['blue', 'green'] });
      await running.http
        .put(`/v1/instances/${id}/tags`)
        .set(bearer(alice))
        .send({ tags: ['rest'] })
        .expect(200);
      expect((await running.http.get(`${path}/tags`).set(v226)).body).toEqual({ tags: ['rest'] });
      const history = (await running.http.get(`/v1/instances/${id}/events`).set(bearer(alice))).body.items.map((e: { type: string }) => e.type);
      // The metadata of the create is in InstanceRequested; a change that changes nothing records nothing.
      expect(history.filter((t: string) => t === 'InstanceMetadataChanged')).toHaveLength(3);
      expect(history.filter((t: string) => t === 'InstanceTagsChanged')).toHaveLength(3);
      // An admin may tag any project's server; a stranger finds none.
      expect((await running.http.put(`${path}/tags/x`).set({ ...v226, 'X-Auth-Token': admin })).status).toBe(201);
      const bob = await running.login('bob', 'bob long password', 'other');
      expect((await running.http.put(`${path}/tags/y`).set({ ...v226, 'X-Auth-Token': bob })).status).toBe(404);
    });

    it("adds and removes a server's security groups on the instance and its ports", async () => {
      const group = await running.http
        .post('/v1/security-groups')
        .set(bearer(alice))
        .send({ name: 'web', rules: [{ direction: 'ingress', protocol: 'tcp', portMin: 80, portMax: 80, cidr: '0.0.0.0/0' }] });
      expect(group.status).toBe(201);
      const created = await running.http
        .post('/compute/v2.1/servers')
        .set(nova(alice))
        .send({ server: { name: 'guarded', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } });
      const id = created.body.server.id;
      await eventually(
        async () => (await running.http.get(`/compute/v2.1/servers/${id}`).set(nova(alice))).body.server.status,
        (s) => s === 'ACTIVE',
        'guarded to be active',
      );
      const act = (body: object) => running.http.post(`/compute/v2.1/servers/${id}/action`).set(nova(alice)).send(body);
      expect((await act({ addSecurityGroup: { name: 'web' } })).status).toBe(202);
      expect((await act({ addSecurityGroup: { name: 'web' } })).status).toBe(202); // already there: nothing changes
      expect(
        (await running.http.get(`/compute/v2.1/servers/${id}/os-security-groups`).set(nova(alice))).body.security_groups.map((g: { name: string }) => g.name),
      ).toEqual(['web']);
      await running.readModelsCaughtUp();
      expect((await running.http.get(`/v1/instances/${id}`).set(bearer(alice))).body.securityGroups).toEqual([group.body.id]);
      const ports = (await running.http.get('/v1/ports').set(bearer(alice))).body.items.filter((port: { instanceId: string }) => port.instanceId === id);
      expect(ports.map((port: { securityGroups: string[] }) => port.securityGroups)).toEqual([[group.body.id]]);
      expect((await running.http.get(`/compute/v2.1/servers/${id}`).set(nova(alice))).body.server.security_groups).toEqual([{ name: 'web' }]);

      expect((await act({ removeSecurityGroup: { name: 'web' } })).status).toBe(202);
      expect((await act({ removeSecurityGroup: { name: 'web' } })).status).toBe(404);
      expect((await act({ addSecurityGroup: { name: 'nope' } })).status).toBe(400);
      await running.readModelsCaughtUp();
      const after = (await running.http.get('/v1/ports').set(bearer(alice))).body.items.filter((port: { instanceId: string }) => port.instanceId === id);
      expect(after.map((port: { securityGroups: string[] }) => port.securityGroups)).toEqual([[]]);
      const history = (await running.http.get(`/v1/instances/${id}/events`).set(bearer(alice))).body.items.map((e: { type: string }) => e.type);
      expect(history.filter((t: string) => t === 'InstanceSecurityGroupsChanged')).toHaveLength(2);
    });

    it('attaches and detaches a volume through os-volume_attachments', async () => {
      const created = await running.http
        .post('/compute/v2.1/servers')
        .set(nova(alice))
        .send({ server: { name: 'disks', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } });
      const id = created.body.server.id;
      await eventually(
        async () => (await running.http.get(`/compute/v2.1/servers/${id}`).set(nova(alice))).body.server.status,
        (s) => s === 'ACTIVE',
        'disks to be active',
      );
      const volume = await running.http.post('/v1/volumes').set(bearer(alice)).send({ name: 'data', sizeGiB: 1 });
      const volumeId = volume.body.volume.id;
      await eventually(
        async () => (await running.http.get(`/v1/volumes/${volumeId}`).set(bearer(alice))).body.status,
        (s) => s === 'available',
        'the volume',
      );
      const path = `/compute/v2.1/servers/${id}/os-volume_attachments`;
      const attached = await running.http
        .post(path)
        .set(nova(alice))
        .send({ volumeAttachment: { volumeId, device: null } });
      expect(attached.status).toBe(200);
      expect(attached.body.volumeAttachment).toMatchObject({ serverId: id, volumeId });
      await eventually(
        async () => (await running.http.get(`/v1/volumes/${volumeId}`).set(bearer(alice))).body.status,
        (s) => s === 'in-use',
        'the volume in use',
      );
      await running.readModelsCaughtUp();
      const listed = (await running.http.get(path).set(nova(alice))).body.volumeAttachments;
      expect(listed).toEqual([{ id: volumeId, serverId: id, volumeId, device: '/dev/vdb' }]);
      expect((await running.http.get(`${path}/${volumeId}`).set(nova(alice))).body.volumeAttachment.device).toBe('/dev/vdb');
      expect((await running.http.post(path).set(nova(alice)).send({ volumeAttachment: {} })).status).toBe(400);
      expect((await running.http.delete(`${path}/${volumeId}`).set(nova(alice))).status).toBe(202);
      await eventually(
        async () => (await running.http.get(`/v1/volumes/${volumeId}`).set(bearer(alice))).body.status,
        (s) => s === 'available',
        'the volume detached',
      );
      await running.readModelsCaughtUp();
      expect((await running.http.get(path).set(nova(alice))).body.volumeAttachments).toEqual([]);
      expect((await running.http.delete(`${path}/${volumeId}`).set(nova(alice))).status).toBe(404);
    });

    it('does a retried create with the same Idempotency-Key once', async () => {
      const body = { server: { name: 'once', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } };
      const first = await running.http
        .post('/compute/v2.1/servers')
        .set({ ...nova(alice), 'Idempotency-Key': 'create-once-1' })
        .send(body);
      const again = await running.http
        .post('/compute/v2.1/servers')
        .set({ ...nova(alice), 'Idempotency-Key': 'create-once-1' })
        .send(body);
      expect(again.status).toBe(202);
      expect(again.body.server.id).toBe(first.body.server.id);
      await running.readModelsCaughtUp();
      expect((await running.http.get('/compute/v2.1/servers?name=^once$').set(nova(alice))).body.servers).toHaveLength(1);
    });

    it('streams image data in and out with its size and checksum, once', async () => {
      const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      data.write('orchestrator image', 0);
      const created = await running.http
        .post('/image/v2/images')
        .set(nova(admin))
        .send({ name: 'blob', disk_format: 'qcow2', container_format: 'bare', tags: ['a'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'queued', size: null, tags: ['a'] });
      expect((await running.http.get(`/image/v2/images/${created.body.id}/file`).set(nova(admin))).status).toBe(204);
      const put = await running.http
        .put(`/image/v2/images/${created.body.id}/file`)
        .set({ ...nova(admin), 'Content-Type': 'application/octet-stream' })
        .send(data);
      expect(put.status).toBe(204);
      const shown = (await running.http.get(`/image/v2/images/${created.body.id}`).set(nova(alice))).body;
      expect(shown).toMatchObject({ status: 'active', size: data.length, checksum: createHash('md5').update(data).digest('hex'), os_hash_algo: 'sha512' });
      const back = await running.http
        .get(`/image/v2/images/${created.body.id}/file`)
        .set(nova(alice))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(Buffer.compare(back.body as Buffer, data)).toBe(0);
      const twice = await running.http
        .put(`/image/v2/images/${created.body.id}/file`)
        .set({ ...nova(admin), 'Content-Type': 'application/octet-stream' })
        .send(data);
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ code: '409 Conflict', title: 'Conflict' });
      expect((await running.http.post('/image/v2/images').set(nova(alice)).send({ name: 'mine' })).status).toBe(403);
      expect((await running.http.get('/image/v2/images/not-an-id').set(nova(alice))).status).toBe(404);
      const listed = await running.http.get('/image/v2/images?limit=1').set(nova(alice));
      expect(listed.body.images).toHaveLength(1);
      expect(listed.body.next).toMatch(/^\/v2\/images\?marker=img-/);
    });

    it('answers Neutron lookups with exact filters and its error shape', async () => {
      const byName = await running.http.get('/network/v2.0/networks?name=private').set(nova(alice));
      expect(byName.body.networks).toHaveLength(1);
      expect((await running.http.get('/network/v2.0/networks?name=missing').set(nova(alice))).body.networks).toEqual([]);
      const subnet = (await running.http.get(`/network/v2.0/subnets/${byName.body.networks[0].subnets[0]}`).set(nova(alice))).body.subnet;
      expect(subnet).toMatchObject({
        cidr: '10.0.0.0/24',
        gateway_ip: '10.0.0.1',
        ip_version: 4,
        allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }],
      });
      const missing = await running.http.get('/network/v2.0/networks/net-00000000000000000000').set(nova(alice));
      expect(missing.status).toBe(404);
      expect(missing.body.NeutronError).toMatchObject({ type: 'NetworkNotFound' });
    });
  });
}
