import { describeWithPostgres } from '../support/services';
import { bearer } from '../support/app';
import { eventually } from '../support/eventually';
import { nova, openStackCloud } from '../support/openstack-cloud';

/** Nova over HTTP, what the clients do not show: views by microversion, paging, scoping, bad input, quota, metadata and tags, security groups, volume attachments, idempotency. */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Nova over HTTP (${store})`, () => {
    const cloud = openStackCloud(store);
    it('boots servers, shows them by microversion, pages them and keeps other projects out', async () => {
      const network = (await cloud.running.http.get('/network/v2.0/networks?name=private').set(nova(cloud.alice))).body.networks[0];
      const created = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set(nova(cloud.alice))
        .send({ server: { name: 'app', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: network.id }], min_count: 3, max_count: 3 } });
      expect(created.status).toBe(202);
      await eventually(
        async () => (await cloud.running.http.get('/compute/v2.1/servers/detail?status=ACTIVE').set(nova(cloud.alice))).body.servers,
        (servers: unknown[]) => servers.length === 3,
        'three active servers',
      );
      const old = (await cloud.running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set(nova(cloud.alice))).body.server;
      expect(old.flavor).toEqual({ id: expect.stringMatching(/^flv-/), links: expect.any(Array) });
      expect(old.addresses.private[0]).toMatchObject({ version: 4, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': expect.any(String) });
      expect(old).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1, tenant_id: cloud.projectId });
      expect(old).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
      const embedded = (
        await cloud.running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'compute 2.47' })
      ).body.server;
      expect(embedded.flavor).toEqual({ vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.small', extra_specs: {} });
      expect(embedded.locked).toBe(false);
      const newest = (
        await cloud.running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'compute 2.73' })
      ).body.server;
      expect(newest).toMatchObject({ locked_reason: null, server_groups: [], trusted_image_certificates: null, tags: [], description: null });
      const flavor = (
        await cloud.running.http.get(`/compute/v2.1/flavors/${old.flavor.id}`).set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'compute 2.61' })
      ).body.flavor;
      expect(flavor).toMatchObject({ description: null, extra_specs: {} });

      const first = await cloud.running.http.get('/compute/v2.1/servers?limit=2').set(nova(cloud.alice));
      expect(first.body.servers).toHaveLength(2);
      const next = new URL(first.body.servers_links[0].href);
      const second = await cloud.running.http.get(`${next.pathname}${next.search}`).set(nova(cloud.alice));
      expect(second.body.servers).toHaveLength(1);
      expect(second.body).not.toHaveProperty('servers_links');
      expect(new Set([...first.body.servers, ...second.body.servers].map((s: { id: string }) => s.id)).size).toBe(3);
      expect((await cloud.running.http.get('/compute/v2.1/servers?marker=inst-00000000000000000000').set(nova(cloud.alice))).status).toBe(400);
      expect(
        (await cloud.running.http.get('/compute/v2.1/servers?name=^app-[12]$').set(nova(cloud.alice))).body.servers.map((s: { name: string }) => s.name).sort(),
      ).toEqual(['app-1', 'app-2']);

      // Another project's server is 404 as in REST; a member may not list every project's.
      const adminView = await cloud.running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set(nova(cloud.admin));
      expect(adminView.body.server['OS-EXT-SRV-ATTR:host']).toMatch(/^host-/);
      const stranger = await cloud.running.http.post('/v1/projects').set(bearer(cloud.admin)).send({ name: 'other' });
      await cloud.running.http
        .post('/v1/users')
        .set(bearer(cloud.admin))
        .send({ name: 'bob', password: 'bob long password', projectId: stranger.body.id, role: 'member' });
      const bob = await cloud.running.login('bob', 'bob long password', 'other');
      const hidden = await cloud.running.http.get(`/compute/v2.1/servers/${created.body.server.id}`).set(nova(bob));
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual({ itemNotFound: { code: 404, message: expect.any(String) } });
      expect((await cloud.running.http.get('/compute/v2.1/servers?all_tenants=1').set(nova(cloud.alice))).status).toBe(403);
      expect((await cloud.running.http.get('/compute/v2.1/servers?all_tenants=1').set(nova(cloud.admin))).body.servers).toHaveLength(3);
      expect((await cloud.running.http.get('/compute/v2.1/servers').set(nova(cloud.admin))).body.servers).toHaveLength(0);
    });

    it('refuses bad input with 400 and records nothing; an exceeded quota is 403 as Nova says it', async () => {
      const head = await cloud.running.store.headPosition();
      const bad = [
        { server: { name: 'x', flavorRef: 'm1.small', networks: 'auto' } },
        { server: { name: 'x', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], min_count: 0 } },
        { server: { name: 'x', imageRef: 'cirros', flavorRef: 'nope', networks: [{ uuid: 'private' }] } },
        { server: { name: 'x', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], user_data: 'not base64!' } },
        { server: { name: '\u0000', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } },
        { nothing: true },
      ];
      for (const body of bad) {
        const response = await cloud.running.http.post('/compute/v2.1/servers').set(nova(cloud.alice)).send(body);
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
        expect(Object.keys(response.body)).toEqual(['badRequest']);
      }
      expect((await cloud.running.http.post('/compute/v2.1/servers/inst-x/action').set(nova(cloud.alice)).send({ 'os-fly': null })).status).toBe(400);
      expect(
        (await cloud.running.http.post('/compute/v2.1/servers').set(nova(cloud.alice)).set('Content-Type', 'application/json').send('{"server": ')).status,
      ).toBe(400);
      expect(await cloud.running.store.headPosition()).toBe(head);

      const tooMany = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set(nova(cloud.alice))
        .send({ server: { name: 'big', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], min_count: 41 } });
      expect(tooMany.status).toBe(403);
      expect(tooMany.body.forbidden.message).toMatch(/^Quota exceeded for instances/);
    });

    it('keeps server metadata and tags as events, the same over Nova and REST', async () => {
      const created = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set(nova(cloud.alice))
        .send({ server: { name: 'meta', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], metadata: { role: 'db' } } });
      expect(created.status).toBe(202);
      const id = created.body.server.id;
      const path = `/compute/v2.1/servers/${id}`;
      const v226 = { ...nova(cloud.alice), 'X-OpenStack-Nova-API-Version': '2.26' };
      expect((await cloud.running.http.get(`${path}/metadata`).set(nova(cloud.alice))).body).toEqual({ metadata: { role: 'db' } });
      expect(
        (
          await cloud.running.http
            .post(`${path}/metadata`)
            .set(nova(cloud.alice))
            .send({ metadata: { tier: 'back' } })
        ).body,
      ).toEqual({ metadata: { role: 'db', tier: 'back' } });
      expect(
        (
          await cloud.running.http
            .put(`${path}/metadata/zone`)
            .set(nova(cloud.alice))
            .send({ meta: { zone: 'a' } })
        ).body,
      ).toEqual({ meta: { zone: 'a' } });
      expect(
        (
          await cloud.running.http
            .put(`${path}/metadata/zone`)
            .set(nova(cloud.alice))
            .send({ meta: { other: 'a' } })
        ).status,
      ).toBe(400);
      expect((await cloud.running.http.delete(`${path}/metadata/role`).set(nova(cloud.alice))).status).toBe(204);
      expect((await cloud.running.http.delete(`${path}/metadata/role`).set(nova(cloud.alice))).status).toBe(404);
      expect((await cloud.running.http.get(`${path}/metadata/tier`).set(nova(cloud.alice))).body).toEqual({ meta: { tier: 'back' } });

      expect((await cloud.running.http.get(`${path}/tags`).set(nova(cloud.alice))).status).toBe(404); // tags came with 2.26
      expect((await cloud.running.http.put(`${path}/tags/blue`).set(v226)).status).toBe(201);
      expect((await cloud.running.http.put(`${path}/tags/blue`).set(v226)).status).toBe(204);
      expect(
        (
          await cloud.running.http
            .put(`${path}/tags`)
            .set(v226)
            .send({ tags: ['blue', 'green'] })
        ).body,
      ).toEqual({ tags: ['blue', 'green'] });
      expect((await cloud.running.http.get(`${path}/tags/green`).set(v226)).status).toBe(204);
      expect((await cloud.running.http.delete(`${path}/tags/red`).set(v226)).status).toBe(404);
      const tooMany = await cloud.running.http
        .put(`${path}/tags`)
        .set(v226)
        .send({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) });
      expect(tooMany.status).toBe(400);

      const tagged = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'compute 2.52' })
        .send({ server: { name: 'tagged', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }], tags: ['a', 'b'] } });
      expect(tagged.status).toBe(202);
      expect(
        (
          await cloud.running.http
            .get(`/compute/v2.1/servers/${tagged.body.server.id}/tags`)
            .set({ ...nova(cloud.alice), 'OpenStack-API-Version': 'compute 2.52' })
        ).body.tags,
      ).toEqual(['a', 'b']);
      await cloud.running.http.delete(`/compute/v2.1/servers/${tagged.body.server.id}`).set(nova(cloud.alice)).expect(204);
      const oldTags = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set(nova(cloud.alice))
        .send({ server: { name: 'x', imageRef: 'cirros', flavorRef: 'm1.small', networks: 'auto', tags: ['a'] } });
      expect(oldTags.status).toBe(400); // tags at create came with 2.52
      await cloud.running.readModelsCaughtUp();
      const rest = (await cloud.running.http.get(`/v1/instances/${id}`).set(bearer(cloud.alice))).body;
      expect(rest).toMatchObject({ metadata: { tier: 'back', zone: 'a' }, tags: ['blue', 'green'] });
      const shown = (await cloud.running.http.get(path).set(v226)).body.server;
      expect(shown).toMatchObject({ metadata: { tier: 'back', zone: 'a' }, tags: ['blue', 'green'] });
      await cloud.running.http
        .put(`/v1/instances/${id}/tags`)
        .set(bearer(cloud.alice))
        .send({ tags: ['rest'] })
        .expect(200);
      expect((await cloud.running.http.get(`${path}/tags`).set(v226)).body).toEqual({ tags: ['rest'] });
      const history = (await cloud.running.http.get(`/v1/instances/${id}/events`).set(bearer(cloud.alice))).body.items.map((e: { type: string }) => e.type);
      // The metadata of the create is in InstanceRequested; a change that changes nothing records nothing.
      expect(history.filter((t: string) => t === 'InstanceMetadataChanged')).toHaveLength(3);
      expect(history.filter((t: string) => t === 'InstanceTagsChanged')).toHaveLength(3);
      // An cloud.admin may tag any project's server; a stranger finds none.
      expect((await cloud.running.http.put(`${path}/tags/x`).set({ ...v226, 'X-Auth-Token': cloud.admin })).status).toBe(201);
      const bob = await cloud.running.login('bob', 'bob long password', 'other');
      expect((await cloud.running.http.put(`${path}/tags/y`).set({ ...v226, 'X-Auth-Token': bob })).status).toBe(404);
    });

    it("adds and removes a server's security groups on the instance and its ports", async () => {
      const group = await cloud.running.http
        .post('/v1/security-groups')
        .set(bearer(cloud.alice))
        .send({ name: 'web', rules: [{ direction: 'ingress', protocol: 'tcp', portMin: 80, portMax: 80, cidr: '0.0.0.0/0' }] });
      expect(group.status).toBe(201);
      const created = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set(nova(cloud.alice))
        .send({ server: { name: 'guarded', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } });
      const id = created.body.server.id;
      await eventually(
        async () => (await cloud.running.http.get(`/compute/v2.1/servers/${id}`).set(nova(cloud.alice))).body.server.status,
        (s) => s === 'ACTIVE',
        'guarded to be active',
      );
      const act = (body: object) => cloud.running.http.post(`/compute/v2.1/servers/${id}/action`).set(nova(cloud.alice)).send(body);
      expect((await act({ addSecurityGroup: { name: 'web' } })).status).toBe(202);
      expect((await act({ addSecurityGroup: { name: 'web' } })).status).toBe(202); // already there: nothing changes
      expect(
        (await cloud.running.http.get(`/compute/v2.1/servers/${id}/os-security-groups`).set(nova(cloud.alice))).body.security_groups.map(
          (g: { name: string }) => g.name,
        ),
      ).toEqual(['web']);
      await cloud.running.readModelsCaughtUp();
      expect((await cloud.running.http.get(`/v1/instances/${id}`).set(bearer(cloud.alice))).body.securityGroups).toEqual([group.body.id]);
      const ports = (await cloud.running.http.get('/v1/ports').set(bearer(cloud.alice))).body.items.filter(
        (port: { instanceId: string }) => port.instanceId === id,
      );
      expect(ports.map((port: { securityGroups: string[] }) => port.securityGroups)).toEqual([[group.body.id]]);
      expect((await cloud.running.http.get(`/compute/v2.1/servers/${id}`).set(nova(cloud.alice))).body.server.security_groups).toEqual([{ name: 'web' }]);

      expect((await act({ removeSecurityGroup: { name: 'web' } })).status).toBe(202);
      expect((await act({ removeSecurityGroup: { name: 'web' } })).status).toBe(404);
      expect((await act({ addSecurityGroup: { name: 'nope' } })).status).toBe(400);
      await cloud.running.readModelsCaughtUp();
      const after = (await cloud.running.http.get('/v1/ports').set(bearer(cloud.alice))).body.items.filter(
        (port: { instanceId: string }) => port.instanceId === id,
      );
      expect(after.map((port: { securityGroups: string[] }) => port.securityGroups)).toEqual([[]]);
      const history = (await cloud.running.http.get(`/v1/instances/${id}/events`).set(bearer(cloud.alice))).body.items.map((e: { type: string }) => e.type);
      expect(history.filter((t: string) => t === 'InstanceSecurityGroupsChanged')).toHaveLength(2);
    });

    it('attaches and detaches a volume through os-volume_attachments', async () => {
      const created = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set(nova(cloud.alice))
        .send({ server: { name: 'disks', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } });
      const id = created.body.server.id;
      await eventually(
        async () => (await cloud.running.http.get(`/compute/v2.1/servers/${id}`).set(nova(cloud.alice))).body.server.status,
        (s) => s === 'ACTIVE',
        'disks to be active',
      );
      const volume = await cloud.running.http.post('/v1/volumes').set(bearer(cloud.alice)).send({ name: 'data', sizeGiB: 1 });
      const volumeId = volume.body.volume.id;
      await eventually(
        async () => (await cloud.running.http.get(`/v1/volumes/${volumeId}`).set(bearer(cloud.alice))).body.status,
        (s) => s === 'available',
        'the volume',
      );
      const path = `/compute/v2.1/servers/${id}/os-volume_attachments`;
      const attached = await cloud.running.http
        .post(path)
        .set(nova(cloud.alice))
        .send({ volumeAttachment: { volumeId, device: null } });
      expect(attached.status).toBe(200);
      expect(attached.body.volumeAttachment).toMatchObject({ serverId: id, volumeId });
      await eventually(
        async () => (await cloud.running.http.get(`/v1/volumes/${volumeId}`).set(bearer(cloud.alice))).body.status,
        (s) => s === 'in-use',
        'the volume in use',
      );
      await cloud.running.readModelsCaughtUp();
      const listed = (await cloud.running.http.get(path).set(nova(cloud.alice))).body.volumeAttachments;
      expect(listed).toEqual([{ id: volumeId, serverId: id, volumeId, device: '/dev/vdb' }]);
      expect((await cloud.running.http.get(`${path}/${volumeId}`).set(nova(cloud.alice))).body.volumeAttachment.device).toBe('/dev/vdb');
      expect((await cloud.running.http.post(path).set(nova(cloud.alice)).send({ volumeAttachment: {} })).status).toBe(400);
      expect((await cloud.running.http.delete(`${path}/${volumeId}`).set(nova(cloud.alice))).status).toBe(202);
      await eventually(
        async () => (await cloud.running.http.get(`/v1/volumes/${volumeId}`).set(bearer(cloud.alice))).body.status,
        (s) => s === 'available',
        'the volume detached',
      );
      await cloud.running.readModelsCaughtUp();
      expect((await cloud.running.http.get(path).set(nova(cloud.alice))).body.volumeAttachments).toEqual([]);
      expect((await cloud.running.http.delete(`${path}/${volumeId}`).set(nova(cloud.alice))).status).toBe(404);
    });

    it('does a retried create with the same Idempotency-Key once', async () => {
      const body = { server: { name: 'once', imageRef: 'cirros', flavorRef: 'm1.small', networks: [{ uuid: 'private' }] } };
      const first = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set({ ...nova(cloud.alice), 'Idempotency-Key': 'create-once-1' })
        .send(body);
      const again = await cloud.running.http
        .post('/compute/v2.1/servers')
        .set({ ...nova(cloud.alice), 'Idempotency-Key': 'create-once-1' })
        .send(body);
      expect(again.status).toBe(202);
      expect(again.body.server.id).toBe(first.body.server.id);
      await cloud.running.readModelsCaughtUp();
      expect((await cloud.running.http.get('/compute/v2.1/servers?name=^once$').set(nova(cloud.alice))).body.servers).toHaveLength(1);
    });
  });
}
