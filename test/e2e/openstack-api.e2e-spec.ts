import { requestedEventsSince } from '../support/events';
import { describeWithPostgres } from '../support/services';
import { bearer } from '../support/app';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { nova, openStackCloud, password } from '../support/openstack-cloud';

/** How many files whose path holds `part` this process has open (the app under test runs in it). */
const filesOpenOn = (part: string) =>
  fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).includes(part);
    } catch {
      return false; // closed meanwhile
    }
  }).length;

/** The OpenStack APIs over HTTP, what the clients do not show: version documents, Keystone's token calls, microversions, Glance's streaming, Neutron's filters and errors. */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`OpenStack identity, image, network and volume APIs over HTTP (${store})`, () => {
    const cloud = openStackCloud(store);
    const keystoneLogin = (body: object) => cloud.running.http.post('/identity/v3/auth/tokens').send(body);
    it('serves the version documents the clients discover', async () => {
      const identity = await cloud.running.http.get('/identity');
      expect(identity.status).toBe(300);
      expect(identity.body.versions.values[0].id).toBe('v3.14');
      expect((await cloud.running.http.get('/identity/v3')).body.version.status).toBe('stable');
      const compute = await cloud.running.http.get('/compute/v2.1');
      expect(compute.body.version).toMatchObject({ id: 'v2.1', status: 'CURRENT', version: '2.73', min_version: '2.1' });
      const image = await cloud.running.http.get('/image');
      expect(image.status).toBe(300);
      expect(image.body.versions[0].links[0].href).toMatch(/\/image\/v2\/$/);
    });

    it('authenticates with Keystone by name, by id, unscoped and by token, and validates and revokes tokens', async () => {
      const byName = await keystoneLogin(
        password({ name: 'alice', domain: { name: 'Default' }, password: cloud.member.password }, { project: { id: cloud.projectId } }),
      );
      expect(byName.status).toBe(201);
      expect(byName.body.token).toMatchObject({
        methods: ['password'],
        user: { name: 'alice', domain: { id: 'default' } },
        project: { id: cloud.projectId, name: 'demo' },
      });
      expect(byName.body.token.roles).toEqual([{ id: 'member', name: 'member' }]);
      expect(byName.body.token.catalog.map((s: { type: string }) => s.type).sort()).toEqual([
        'block-storage',
        'compute',
        'ec2',
        'identity',
        'image',
        'network',
        'volumev3',
      ]);
      const volume = byName.body.token.catalog.find((s: { type: string }) => s.type === 'volumev3');
      expect(volume.endpoints[0].url).toMatch(new RegExp(`/volume/v3/${cloud.projectId}$`));
      const userId = byName.body.token.user.id;

      const byId = await keystoneLogin(password({ id: userId, password: cloud.member.password }, { project: { name: 'demo', domain: { name: 'Default' } } }));
      expect(byId.status).toBe(201);
      const unscoped = await keystoneLogin(password({ name: 'alice', domain: { id: 'default' }, password: cloud.member.password }));
      expect(unscoped.body.token.project.id).toBe(cloud.projectId); // the user's first project, as Keystone's default project
      const rescoped = await keystoneLogin({
        auth: { identity: { methods: ['token'], token: { id: unscoped.headers['x-subject-token'] } }, scope: { project: { id: cloud.projectId } } },
      });
      expect(rescoped.status).toBe(201);
      expect(rescoped.body.token.methods).toEqual(['token']);

      const subject = byId.headers['x-subject-token'];
      const validated = await cloud.running.http.get('/identity/v3/auth/tokens').set({ ...nova(cloud.alice), 'X-Subject-Token': subject });
      expect(validated.status).toBe(200);
      expect(validated.headers['x-subject-token']).toBe(subject);
      expect(validated.body.token.user.id).toBe(userId);
      expect((await cloud.running.http.head('/identity/v3/auth/tokens').set({ ...nova(cloud.alice), 'X-Subject-Token': subject })).status).toBe(200);
      expect((await cloud.running.http.delete('/identity/v3/auth/tokens').set({ ...nova(cloud.alice), 'X-Subject-Token': subject })).status).toBe(204);
      const revoked = await cloud.running.http.get('/identity/v3/auth/tokens').set({ ...nova(cloud.alice), 'X-Subject-Token': subject });
      expect(revoked.status).toBe(404);
      expect((await cloud.running.http.get('/compute/v2.1/servers').set(nova(subject))).status).toBe(401);

      const wrong = await keystoneLogin(
        password({ name: 'alice', domain: { name: 'Default' }, password: 'not the password' }, { project: { id: cloud.projectId } }),
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
      const otherDomain = await keystoneLogin(
        password({ name: 'alice', domain: { name: 'Elsewhere' }, password: cloud.member.password }, { project: { id: cloud.projectId } }),
      );
      expect(otherDomain.status).toBe(401);
      const malformed = await keystoneLogin({ auth: { identity: { methods: ['password'] } } });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe(400);
    });

    it("lists a member's projects through /users/{id}/projects and /auth/projects, and keeps /projects for admins", async () => {
      const me = (await cloud.running.http.get('/v1/auth/tokens/current').set(bearer(cloud.alice))).body.userId;
      expect((await cloud.running.http.get('/identity/v3/projects').set(nova(cloud.alice))).status).toBe(403);
      const mine = await cloud.running.http.get(`/identity/v3/users/${me}/projects`).set(nova(cloud.alice));
      expect(mine.body.projects.map((p: { name: string }) => p.name)).toEqual(['demo']);
      expect((await cloud.running.http.get('/identity/v3/auth/projects').set(nova(cloud.alice))).body.projects.map((p: { id: string }) => p.id)).toEqual([
        cloud.projectId,
      ]);
      const all = await cloud.running.http.get('/identity/v3/projects').set(nova(cloud.admin));
      expect(all.body.projects.map((p: { name: string }) => p.name).sort()).toEqual(['admin', 'demo']);
      expect((await cloud.running.http.get('/identity/v3/roles').set(nova(cloud.alice))).body.roles.map((r: { name: string }) => r.name)).toEqual([
        'admin',
        'member',
        'reader',
      ]);
    });

    it('negotiates microversions and answers with the one used', async () => {
      const plain = await cloud.running.http.get('/compute/v2.1/flavors').set(nova(cloud.alice));
      expect(plain.headers['x-openstack-nova-api-version']).toBe('2.1');
      const modern = await cloud.running.http.get('/compute/v2.1/servers/detail').set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'compute 2.47' });
      expect(modern.headers['openstack-api-version']).toBe('compute 2.47');
      expect(modern.headers.vary).toContain('OpenStack-API-Version');
      const latest = await cloud.running.http.get('/compute/v2.1/flavors').set({ ...nova(cloud.alice), 'X-OpenStack-Nova-API-Version': 'latest' });
      expect(latest.headers['x-openstack-nova-api-version']).toBe('2.73');
      const tooNew = await cloud.running.http.get('/compute/v2.1/flavors').set({ ...nova(cloud.alice), 'X-OpenStack-Nova-API-Version': '2.99' });
      expect(tooNew.status).toBe(406);
      expect(Object.values(tooNew.body)[0]).toMatchObject({ code: 406, message: expect.stringContaining('2.99') });
      expect(
        (await cloud.running.http.get('/compute/v2.1/os-security-groups').set({ ...nova(cloud.alice), 'X-OpenStack-Nova-API-Version': '2.36' })).status,
      ).toBe(404);
    });

    it('streams image data in and out with its size and checksum, once', async () => {
      const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
      data.write('orchestrator image', 0);
      const created = await cloud.running.http
        .post('/image/v2/images')
        .set(nova(cloud.admin))
        .send({ name: 'blob', disk_format: 'qcow2', container_format: 'bare', tags: ['a'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'queued', size: null, tags: ['a'] });
      expect((await cloud.running.http.get(`/image/v2/images/${created.body.id}/file`).set(nova(cloud.admin))).status).toBe(204);
      const put = await cloud.running.http
        .put(`/image/v2/images/${created.body.id}/file`)
        .set({ ...nova(cloud.admin), 'Content-Type': 'application/octet-stream' })
        .send(data);
      expect(put.status).toBe(204);
      const shown = (await cloud.running.http.get(`/image/v2/images/${created.body.id}`).set(nova(cloud.alice))).body;
      expect(shown).toMatchObject({ status: 'active', size: data.length, checksum: createHash('md5').update(data).digest('hex'), os_hash_algo: 'sha512' });
      // Showing an image opens nothing: no file of it stays open in this process, however often it is shown.
      for (let i = 0; i < 20; i++) await cloud.running.http.get(`/image/v2/images/${created.body.id}`).set(nova(cloud.alice)).expect(200);
      expect(filesOpenOn(created.body.id)).toBe(0);
      const back = await cloud.running.http
        .get(`/image/v2/images/${created.body.id}/file`)
        .set(nova(cloud.alice))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(Buffer.compare(back.body as Buffer, data)).toBe(0);
      const twice = await cloud.running.http
        .put(`/image/v2/images/${created.body.id}/file`)
        .set({ ...nova(cloud.admin), 'Content-Type': 'application/octet-stream' })
        .send(data);
      expect(twice.status).toBe(409);
      expect(twice.body).toMatchObject({ code: '409 Conflict', title: 'Conflict' });
      expect((await cloud.running.http.post('/image/v2/images').set(nova(cloud.alice)).send({ name: 'mine' })).status).toBe(403);
      expect((await cloud.running.http.get('/image/v2/images/not-an-id').set(nova(cloud.alice))).status).toBe(404);
      const listed = await cloud.running.http.get('/image/v2/images?limit=1').set(nova(cloud.alice));
      expect(listed.body.images).toHaveLength(1);
      expect(listed.body.next).toMatch(/^\/v2\/images\?marker=img-/);
    });

    it('serves Cinder v3 with and without the project in the path, with its microversions, filters, paging and errors', async () => {
      const http = cloud.running.http;
      const versions = await http.get('/volume/v3/');
      expect(versions.body.versions[0]).toMatchObject({ id: 'v3.0', version: '3.60', min_version: '3.0' });
      const root = `/volume/v3/${cloud.projectId}`;
      const head = await cloud.running.store.headPosition();
      for (const body of [{ volume: { size: 0 } }, { volume: { size: 1, imageRef: 'cirros' } }, { volume: { size: 1, volume_type: 'fast' } }, { size: 1 }]) {
        const refused = await http.post(`${root}/volumes`).set(nova(cloud.alice)).send(body);
        expect({ body, status: refused.status, key: Object.keys(refused.body)[0] }).toEqual({ body, status: 400, key: 'badRequest' });
      }
      expect(await requestedEventsSince(cloud.running.store, head)).toEqual([]);
      for (const name of ['alpha', 'beta', 'gamma']) {
        expect(
          (
            await http
              .post(`${root}/volumes`)
              .set(nova(cloud.alice))
              .send({ volume: { size: 1, name } })
          ).status,
        ).toBe(202);
      }
      const v360 = { ...nova(cloud.alice), 'OpenStack-API-Version': 'volume 3.60' };
      const listed = await http.get(`${root}/volumes/detail?limit=2`).set(v360);
      expect(listed.headers['openstack-api-version']).toBe('volume 3.60');
      expect(listed.body.volumes).toHaveLength(2);
      expect(listed.body.volumes[0]).toMatchObject({ size: 1, volume_type: '__DEFAULT__', bootable: 'false', shared_targets: false, group_id: null });
      const next = new URL(listed.body.volumes_links[0].href);
      expect((await http.get(`${next.pathname}${next.search}`).set(v360)).body.volumes).toHaveLength(1);
      expect((await http.get('/volume/v3/volumes?name~=amm').set(v360)).body.volumes.map((v: { name: string }) => v.name)).toEqual(['gamma']);
      expect((await http.get('/volume/v3/volumes?name=beta').set(nova(cloud.alice))).body.volumes).toHaveLength(1);
      expect((await http.get('/volume/v3/volumes?created_at=gt:2000-01-01T00:00:00Z').set(v360)).body.volumes).toHaveLength(3);
      expect((await http.get('/volume/v3/volumes?created_at=gt:3000-01-01T00:00:00Z').set(v360)).body.volumes).toHaveLength(0);
      expect((await http.get('/volume/v3/volumes').set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'volume 3.99' })).status).toBe(406);
      const missing = await http.get(`${root}/volumes/vol-00000000000000000000`).set(nova(cloud.alice));
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
      expect((await http.get(`${root}/types`).set(nova(cloud.alice))).body.volume_types.map((t: { name: string }) => t.name)).toEqual(['__DEFAULT__']);
      const limits = (await http.get(`${root}/limits`).set(nova(cloud.alice))).body.limits.absolute;
      expect(limits).toMatchObject({ totalVolumesUsed: 3, totalGigabytesUsed: 3 });
      const quota = (await http.get(`${root}/os-quota-sets/${cloud.projectId}?usage=True`).set(nova(cloud.alice))).body.quota_set;
      expect(quota.volumes).toMatchObject({ in_use: 3 });

      // A rename is an event, the same over REST; a description or a bad name is refused.
      const beta =
        listed.body.volumes.find((v: { name: string }) => v.name === 'beta') ??
        (await http.get('/volume/v3/volumes?name=beta').set(nova(cloud.alice))).body.volumes[0];
      const renamed = await http
        .put(`${root}/volumes/${beta.id}`)
        .set(nova(cloud.alice))
        .send({ volume: { name: 'delta' } });
      expect(renamed.body.volume.name).toBe('delta');
      const described = await http
        .put(`${root}/volumes/${beta.id}`)
        .set(nova(cloud.alice))
        .send({ volume: { description: 'why' } });
      expect(described.body.volume).toMatchObject({ name: 'delta', description: 'why' });
      expect(
        (
          await http
            .put(`${root}/volumes/${beta.id}`)
            .set(nova(cloud.alice))
            .send({ volume: { name: 'a/b' } })
        ).status,
      ).toBe(400);
      expect((await http.patch(`/v1/volumes/${beta.id}`).set(bearer(cloud.alice)).send({ name: 'epsilon' })).body.name).toBe('epsilon');
      expect((await http.patch(`/v1/volumes/${beta.id}`).set(bearer(cloud.alice)).send({ name: '' })).status).toBe(400);
      const history = (await http.get(`/v1/events?stream=volume-${beta.id}`).set(bearer(cloud.alice))).body.items.map((e: { type: string }) => e.type);
      expect(history.filter((t: string) => t === 'VolumeRenamed')).toHaveLength(3);
    });

    it('answers Neutron lookups with exact filters and its error shape', async () => {
      const byName = await cloud.running.http.get('/network/v2.0/networks?name=private').set(nova(cloud.alice));
      expect(byName.body.networks).toHaveLength(1);
      expect((await cloud.running.http.get('/network/v2.0/networks?name=missing').set(nova(cloud.alice))).body.networks).toEqual([]);
      const subnet = (await cloud.running.http.get(`/network/v2.0/subnets/${byName.body.networks[0].subnets[0]}`).set(nova(cloud.alice))).body.subnet;
      expect(subnet).toMatchObject({
        cidr: '10.0.0.0/24',
        gateway_ip: '10.0.0.1',
        ip_version: 4,
        allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }],
      });
      const missing = await cloud.running.http.get('/network/v2.0/networks/net-00000000000000000000').set(nova(cloud.alice));
      expect(missing.status).toBe(404);
      expect(missing.body.NeutronError).toMatchObject({ type: 'NetworkNotFound' });
      const http = cloud.running.http;
      const external = (await http.get('/network/v2.0/networks?router:external=true').set(nova(cloud.alice))).body.networks;
      expect(external.map((n: { name: string; id: string }) => [n.name, n.id])).toEqual([['public', 'net-external']]);
      const group = (
        await http
          .post('/network/v2.0/security-groups')
          .set(nova(cloud.alice))
          .send({ security_group: { name: 'neutron-made' } })
      ).body.security_group;
      expect(group.security_group_rules).toEqual([
        expect.objectContaining({ direction: 'egress', ethertype: 'IPv4', protocol: null, remote_ip_prefix: '0.0.0.0/0' }),
      ]);
      const head = await cloud.running.store.headPosition();
      for (const rule of [
        { security_group_id: group.id, direction: 'ingress', protocol: 'tcp', remote_group_id: group.id, remote_ip_prefix: '10.0.0.0/8' },
        { security_group_id: group.id, direction: 'ingress', ethertype: 'IPv6' },
        { security_group_id: group.id, direction: 'sideways' },
        { security_group_id: group.id, direction: 'ingress', protocol: 'gre' },
      ]) {
        const refused = await http.post('/network/v2.0/security-group-rules').set(nova(cloud.alice)).send({ security_group_rule: rule });
        expect({ rule, status: refused.status, type: Object.keys(refused.body)[0] }).toEqual({ rule, status: 400, type: 'NeutronError' });
      }
      expect(await requestedEventsSince(cloud.running.store, head)).toEqual([]);
      const added = await http
        .post('/network/v2.0/security-group-rules')
        .set(nova(cloud.alice))
        .send({ security_group_rule: { security_group_id: group.id, direction: 'ingress', protocol: '6', port_range_min: 443, port_range_max: 443 } });
      expect(added.status).toBe(201);
      expect(added.body.security_group_rule).toMatchObject({ protocol: 'tcp', port_range_min: 443, remote_ip_prefix: '0.0.0.0/0' });
      const ofGroup = await http.get(`/network/v2.0/security-group-rules?security_group_id=${group.id}&direction=ingress`).set(nova(cloud.alice));
      expect(ofGroup.body.security_group_rules.map((r: { id: string }) => r.id)).toEqual([added.body.security_group_rule.id]);
      expect((await http.delete(`/network/v2.0/security-group-rules/${added.body.security_group_rule.id}`).set(nova(cloud.alice))).status).toBe(204);
      expect((await http.delete(`/network/v2.0/security-groups/${group.id}`).set(nova(cloud.alice))).status).toBe(204);
      expect(
        (
          await http
            .post('/network/v2.0/floatingips')
            .set(nova(cloud.alice))
            .send({ floatingip: { floating_network_id: 'net-private' } })
        ).status,
      ).toBe(404);
    });
  });
}
