import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { Database } from '../../src/infrastructure/persistence/database';
import { openDatabase } from '../../src/infrastructure/persistence/open-database';
import { ProjectionRunner } from '../../src/infrastructure/projections/projection-runner';
import { PROJECTIONS } from '../../src/projections';
import { ADMIN_PASSWORD, Backing, bearer, createBacking, startApp } from '../support/app';
import { describeWithPostgres } from '../support/services';

async function dump(db: Database): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of PROJECTIONS.flatMap((p) => p.tables)) result[table] = await db.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
  return result;
}

for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Replay from position 0 (${store})`, () => {
    let backing: Backing;

    afterAll(async () => backing?.destroy());

    it('rebuilds read models identical to the live ones', async () => {
      backing = await createBacking(store);
      const app = await startApp(backing);
      const admin = await app.login('admin', ADMIN_PASSWORD, 'admin');
      const project = (
        await app.http
          .post('/v1/projects')
          .set(bearer(admin))
          .send({ name: 'replayed', quotas: { vcpus: 7 } })
      ).body.id;
      await app.http
        .patch(`/v1/projects/${project}`)
        .set(bearer(admin))
        .send({ quotas: { instances: 3 } });
      const user = (
        await app.http.post('/v1/users').set(bearer(admin)).send({ name: 'u', password: 'long enough password', projectId: project, role: 'member' })
      ).body.id;
      await app.http.put(`/v1/users/${user}/roles/${project}`).set(bearer(admin)).send({ role: 'reader' });
      await app.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'f1', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await app.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'h1', driver: 'simulated', vcpus: 2, ramMiB: 2048, diskGiB: 20 });
      const token = await app.login('u', 'long enough password', 'replayed');
      await app.http.post('/v1/networks').set(bearer(admin)).send({ name: 'n1', cidr: '10.0.0.0/24' });
      await app.http.delete('/v1/auth/tokens').set(bearer(token));
      await app.close();

      const db = await openDatabase(backing.config);
      const eventStore = createEventStore(db);
      try {
        const live = await dump(db);
        expect(live.rm_projects.length).toBe(2);
        expect([live.rm_flavors.length, live.rm_hosts.length, live.rm_networks.length]).toEqual([1, 1, 1]);
        const runner = new ProjectionRunner(db, eventStore, PROJECTIONS, new JsonLogger('error', () => undefined));
        await runner.reset();
        expect((await dump(db)).rm_projects).toEqual([]);
        const processed = await runner.catchUp();
        expect(processed).toBe(await eventStore.headPosition());
        expect(await dump(db)).toEqual(live);
      } finally {
        await eventStore.close();
        await db.close();
      }
    });
  });
}
