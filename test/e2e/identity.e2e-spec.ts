import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { describeWithPostgres } from '../support/services';

for (const store of ['embedded', 'postgres'] as const) {
  const describeStore = store === 'postgres' ? describeWithPostgres : describe;

  describeStore(`Identity over HTTP (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let projectA: string;
    let projectB: string;
    const password = 'correct horse battery';

    const createUser = async (name: string, projectId: string, role: string) => {
      const response = await running.http.post('/v1/users').set(bearer(admin)).send({ name, password, projectId, role });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      const a = await running.http
        .post('/v1/projects')
        .set(bearer(admin))
        .send({ name: 'alpha', quotas: { instances: 5 } });
      const b = await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'beta' });
      expect([a.status, b.status]).toEqual([201, 201]);
      projectA = a.body.id;
      projectB = b.body.id;
      await createUser('alice', projectA, 'member');
      await createUser('rita', projectA, 'reader');
      await createUser('bob', projectB, 'member');
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('refuses wrong credentials with one indistinguishable 401', async () => {
      const wrongPassword = await running.http.post('/v1/auth/tokens').send({ username: 'alice', password: 'nope', project: 'alpha' });
      const unknownUser = await running.http.post('/v1/auth/tokens').send({ username: 'nobody', password: 'nope', project: 'alpha' });
      const foreignProject = await running.http.post('/v1/auth/tokens').send({ username: 'alice', password, project: 'beta' });
      for (const r of [wrongPassword, unknownUser, foreignProject]) {
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('Unauthenticated');
        expect(r.body.error.message).toBe(wrongPassword.body.error.message);
      }
      expect((await running.http.get('/v1/projects')).status).toBe(401);
      expect((await running.http.get('/v1/projects').set(bearer('tok-00.garbagegarbagegarbage'))).status).toBe(401);
    });

    it('issues a token with user, project, roles and expiry; by project name or id', async () => {
      const byName = await running.http.post('/v1/auth/tokens').send({ username: 'alice', password, project: 'alpha' });
      expect(byName.status).toBe(201);
      expect(byName.body).toMatchObject({ user: { name: 'alice' }, project: { id: projectA, name: 'alpha' }, roles: ['member'] });
      expect(Date.parse(byName.body.expiresAt)).toBeGreaterThan(Date.now());
      const byId = await running.http.post('/v1/auth/tokens').send({ username: 'alice', password, project: projectA });
      expect(byId.status).toBe(201);
      const me = await running.http.get('/v1/auth/tokens/current').set(bearer(byId.body.token));
      expect(me.body).toMatchObject({ userName: 'alice', projectId: projectA, role: 'member' });
    });

    it('isolates projects: a member of A gets 404 for everything of B', async () => {
      const alice = await running.login('alice', password, 'alpha');
      const list = await running.http.get('/v1/projects').set(bearer(alice));
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([projectA]);
      expect((await running.http.get(`/v1/projects/${projectA}`).set(bearer(alice))).status).toBe(200);
      for (const path of [`/v1/projects/${projectB}`, `/v1/projects/${projectB}/usage`]) {
        const r = await running.http.get(path).set(bearer(alice));
        expect(r.status).toBe(404);
        expect(r.body.error.code).toBe('ProjectNotFound');
      }
      const patchB = await running.http
        .patch(`/v1/projects/${projectB}`)
        .set(bearer(alice))
        .send({ quotas: { instances: 99 } });
      expect(patchB.status).toBe(404);
      const users = await running.http.get('/v1/users').set(bearer(alice));
      expect(users.body.items.map((u: { name: string }) => u.name).sort()).toEqual(['alice', 'rita']);
      const bob = users.body.items.find((u: { name: string }) => u.name === 'bob');
      expect(bob).toBeUndefined();
    });

    it('checks roles: members cannot administer, readers cannot write', async () => {
      const alice = await running.login('alice', password, 'alpha');
      const rita = await running.login('rita', password, 'alpha');
      expect((await running.http.post('/v1/projects').set(bearer(alice)).send({ name: 'gamma' })).status).toBe(403);
      expect(
        (
          await running.http
            .patch(`/v1/projects/${projectA}`)
            .set(bearer(alice))
            .send({ quotas: { instances: 99 } })
        ).status,
      ).toBe(403);
      expect((await running.http.post('/v1/users').set(bearer(alice)).send({ name: 'eve', password, projectId: projectA, role: 'admin' })).status).toBe(403);
      const readerWrite = await running.http.post('/v1/access-keys').set(bearer(rita));
      expect(readerWrite.status).toBe(403);
      expect(readerWrite.body.error.code).toBe('Forbidden');
      expect((await running.http.get(`/v1/projects/${projectA}/usage`).set(bearer(rita))).status).toBe(200);
    });

    it('lets an admin change quotas and shows them in usage', async () => {
      const patch = await running.http
        .patch(`/v1/projects/${projectA}`)
        .set(bearer(admin))
        .send({ quotas: { vcpus: 64, instances: -1 } });
      expect(patch.status).toBe(200);
      const usage = await running.http.get(`/v1/projects/${projectA}/usage`).set(bearer(admin));
      expect(usage.body).toMatchObject({
        projectId: projectA,
        vcpus: { limit: 64, used: 0 },
        instances: { limit: -1, used: 0 },
        ramMiB: { limit: 51200, used: 0 },
      });
    });

    it('refuses a second project or user with a taken name (case-insensitive)', async () => {
      const again = await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'ALPHA' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('NameTaken');
      const user = await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'Alice', password, projectId: projectB, role: 'member' });
      expect(user.status).toBe(409);
    });

    it('creates, lists and deletes access keys; the secret is shown once', async () => {
      const alice = await running.login('alice', password, 'alpha');
      const bob = await running.login('bob', password, 'beta');
      const created = await running.http.post('/v1/access-keys').set(bearer(alice));
      expect(created.status).toBe(201);
      expect(created.body.accessKeyId).toMatch(/^AK[0-9A-F]{18}$/);
      expect(created.body.secretAccessKey.length).toBeGreaterThanOrEqual(40);
      const list = await running.http.get('/v1/access-keys').set(bearer(alice));
      expect(list.body.items).toEqual([expect.objectContaining({ accessKeyId: created.body.accessKeyId })]);
      expect(JSON.stringify(list.body)).not.toContain(created.body.secretAccessKey);
      expect((await running.http.delete(`/v1/access-keys/${created.body.accessKeyId}`).set(bearer(bob))).status).toBe(404);
      expect((await running.http.delete(`/v1/access-keys/${created.body.accessKeyId}`).set(bearer(alice))).status).toBe(204);
      expect((await running.http.get('/v1/access-keys').set(bearer(alice))).body.items).toEqual([]);
    });

    it('revokes a token, and a revoked role takes effect at once', async () => {
      const token = await running.login('alice', password, 'alpha');
      expect((await running.http.delete('/v1/auth/tokens').set(bearer(token))).status).toBe(204);
      expect((await running.http.get('/v1/projects').set(bearer(token))).status).toBe(401);

      const carol = await createUser('carol', projectA, 'member');
      const carolToken = await running.login('carol', password, 'alpha');
      const revoked = await running.http.delete(`/v1/users/${carol}/roles/${projectA}`).set(bearer(admin));
      expect(revoked.status).toBe(200);
      expect(revoked.body.roles).toEqual([]);
      expect((await running.http.get('/v1/projects').set(bearer(carolToken))).status).toBe(401);
      const assigned = await running.http.put(`/v1/users/${carol}/roles/${projectB}`).set(bearer(admin)).send({ role: 'reader' });
      expect(assigned.body.roles).toEqual([{ projectId: projectB, role: 'reader' }]);
      expect((await running.http.post('/v1/auth/tokens').send({ username: 'carol', password, project: 'beta' })).body.roles).toEqual(['reader']);
    });

    it('honours Idempotency-Key: same request once, other body 409', async () => {
      const key = `key-${store}-1`;
      const first = await running.http.post('/v1/projects').set(bearer(admin)).set('Idempotency-Key', key).send({ name: 'delta' });
      const second = await running.http.post('/v1/projects').set(bearer(admin)).set('Idempotency-Key', key).send({ name: 'delta' });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const created = await running.store.readAll(0, 1000, { types: ['ProjectCreated'] });
      expect(created.filter((e) => (e.data as { name: string }).name === 'delta')).toHaveLength(1);
      const other = await running.http.post('/v1/projects').set(bearer(admin)).set('Idempotency-Key', key).send({ name: 'epsilon' });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('IdempotencyKeyReused');
      // An error response is kept too: the same failing request gives the same answer.
      const failKey = `key-${store}-2`;
      const fail1 = await running.http.post('/v1/projects').set(bearer(admin)).set('Idempotency-Key', failKey).send({ name: 'alpha' });
      const fail2 = await running.http.post('/v1/projects').set(bearer(admin)).set('Idempotency-Key', failKey).send({ name: 'alpha' });
      expect([fail1.status, fail2.status]).toEqual([409, 409]);
      expect(fail2.body).toEqual(fail1.body);
    });

    it('serves the audit log scoped by role, with secrets redacted', async () => {
      const all = await running.http.get('/v1/events?limit=1000').set(bearer(admin));
      expect(all.status).toBe(200);
      const types = new Set(all.body.items.map((e: { type: string }) => e.type));
      for (const t of ['ProjectCreated', 'UserRegistered', 'RoleAssigned', 'TokenIssued']) expect(types).toContain(t);
      expect(JSON.stringify(all.body)).not.toMatch(/scrypt\$/);
      const registered = all.body.items.find((e: { type: string }) => e.type === 'UserRegistered');
      expect(registered.data.passwordHash).toBe('[redacted]');
      expect(registered.metadata).toEqual(
        expect.objectContaining({ principal: expect.any(String), correlationId: expect.any(String), at: expect.any(String) }),
      );

      const alice = await running.login('alice', password, 'alpha');
      const mine = await running.http.get('/v1/events?limit=1000').set(bearer(alice));
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((e: { metadata: { projectId: string } }) => e.metadata.projectId === projectA)).toBe(true);
      const page = await running.http.get('/v1/events?limit=2&type=ProjectCreated').set(bearer(admin));
      expect(page.body.items).toHaveLength(2);
      const next = await running.http.get(`/v1/events?limit=2&type=ProjectCreated&after=${page.body.nextCursor}`).set(bearer(admin));
      expect(next.body.items[0].position).toBeGreaterThan(page.body.items[1].position);
    });

    it('keeps everything across a restart of the app', async () => {
      const token = await running.login('bob', password, 'beta');
      await running.close();
      running = await startApp(backing);
      expect((await running.http.get(`/v1/projects/${projectB}`).set(bearer(token))).status).toBe(200);
      const projects = await running.http.get('/v1/projects').set(bearer(admin));
      expect(projects.body.items.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['admin', 'alpha', 'beta', 'delta']));
      // The bootstrap ran once: one admin user, one admin project.
      const created = await running.store.readAll(0, 1000, { types: ['UserRegistered'] });
      expect(created.filter((e) => (e.data as { name: string }).name === 'admin')).toHaveLength(1);
    });
  });
}
