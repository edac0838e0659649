import { EventStore } from '../../src/application/ports/event-store.port';
import { createEventStore } from '../../src/infrastructure/event-store/event-store.factory';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { Database } from '../../src/infrastructure/persistence/database';
import { openDatabase } from '../../src/infrastructure/persistence/open-database';
import { openScratchDatabase, ScratchDatabase } from '../../src/infrastructure/persistence/scratch-database';
import { rebuildAndCompare } from '../../src/infrastructure/projections/projection-rebuild';
import { instanceProjection } from '../../src/infrastructure/read-models/compute/instance.projection';
import { Projection } from '../../src/infrastructure/projections/projection';
import { PROJECTIONS } from '../../src/infrastructure/read-models/projections';
import { ADMIN_PASSWORD, Backing, bearer, createBacking, RunningApp, startApp } from '../support/app';
import { settled } from '../support/eventually';
import { runProcess } from '../support/processes';
import { describeWithPostgres } from '../support/services';

const quiet = new JsonLogger('error', () => undefined);

/**
 * npm run replay: every projection rebuilt from position 0 into fresh tables (never the live
 * ones) and compared with the live read models, on a log that went through the whole product.
 */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Replay from position 0 (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let alice: string;

    const as = (token: string) => ({
      get: (p: string) => running.http.get(p).set(bearer(token)),
      post: (p: string, body: object = {}) => running.http.post(p).set(bearer(token)).send(body),
      del: (p: string) => running.http.delete(p).set(bearer(token)),
    });
    const settle = (operationId: string) => settled(async () => (await as(alice).get(`/v1/operations/${operationId}`)).body, operationId);

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      const project = (await as(admin).post('/v1/projects', { name: 'replayed', quotas: { vcpus: 40, instances: 20, ramMiB: 65536 } })).body.id;
      const user = (await as(admin).post('/v1/users', { name: 'alice', password: 'long enough password', projectId: project, role: 'member' })).body.id;
      await running.http.put(`/v1/users/${user}/roles/${project}`).set(bearer(admin)).send({ role: 'member' });
      await as(admin).post('/v1/flavors', { name: 'small', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await as(admin).post('/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
      await as(admin).post('/v1/hosts', { name: 'h1', driver: 'simulated', vcpus: 16, ramMiB: 16384, diskGiB: 200 });
      alice = await running.login('alice', 'long enough password', 'replayed');
      await as(alice).post('/v1/keypairs', { name: 'k' });
      await as(alice).post('/v1/networks', { name: 'net', cidr: '10.44.0.0/24' });
      await as(alice).post('/v1/security-groups', {
        name: 'web',
        rules: [{ direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '0.0.0.0/0' }],
      });
      const launch = await as(alice).post('/v1/instances', { name: 'vm', flavor: 'small', image: 'img', networks: [{ network: 'net' }], minCount: 3 });
      await settle(launch.body.operation.id);
      const [a, b] = launch.body.instances as Array<{ id: string }>;
      await settle((await as(alice).post(`/v1/instances/${a.id}/actions`, { action: 'stop' })).body.operation.id);
      await settle((await as(alice).del(`/v1/instances/${b.id}`)).body.operation.id);
      const volume = await as(alice).post('/v1/volumes', { name: 'data', sizeGiB: 2 });
      await settle(volume.body.operation.id);
      await settle((await as(alice).post(`/v1/volumes/${volume.body.volume.id}/snapshots`, { name: 'snap' })).body.operation.id);
      const fip = (await as(alice).post('/v1/floating-ips')).body;
      await as(alice).post(`/v1/floating-ips/${fip.id}/associate`, { instanceId: a.id });
      await running.readModelsCaughtUp();
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('npm run replay: rebuilds into fresh tables while the orchestrator keeps launching, and finds them equal', async () => {
      const burst = as(alice).post('/v1/instances', { name: 'during', flavor: 'small', image: 'img', networks: [{ network: 'net' }], minCount: 10 });
      const replay = runProcess('replay', [], { ...backing.env, ORCH_LOG_LEVEL: 'error', ORCH_REPLAY_THREADS: '2' });
      const [{ code, output }, launched] = await Promise.all([replay, burst]);
      expect(launched.status).toBe(202);
      await settle(launched.body.operation.id);
      expect(output).toMatch(/replayed \d+ events \(6 projections, 2 threads\) in [\d.]+ s: \d+ events\/s/);
      for (const table of PROJECTIONS.flatMap((p) => p.tables)) expect(output).toMatch(new RegExp(`${table}\\s+\\d+ rows  equal`));
      expect(output).toContain('read models equal their replay');
      expect(code).toBe(0);
    }, 60_000);

    describe('against a live read model that went wrong', () => {
      let db: Database;
      let events: EventStore;
      let scratch: ScratchDatabase;

      beforeAll(async () => {
        await running.readModelsCaughtUp();
        db = await openDatabase(backing.config);
        events = createEventStore(db);
      });
      beforeEach(async () => (scratch = await openScratchDatabase(backing.config, db)));
      afterEach(async () => scratch.discard());
      afterAll(async () => {
        await events?.close();
        await db?.close();
      });

      it('names the table, the row and the column that differ (rebuilt on two threads), and leaves the live tables alone', async () => {
        const [victim] = await db.query<{ id: string }>(`SELECT id FROM rm_instances WHERE vm_state = 'active' ORDER BY id LIMIT 1`);
        await db.transaction((tx) => tx.query(`UPDATE rm_instances SET vm_state = 'error' WHERE id = ${db.param(1)}`, [victim.id]));
        const report = await rebuildAndCompare(db, events, scratch.db, PROJECTIONS, quiet, { threads: 2 });
        expect(report.threads).toBe(2);
        expect(report.events).toBe(await events.headPosition());
        expect(report.equal).toBe(false);
        expect(report.tables.filter((t) => !t.equal)).toEqual([
          expect.objectContaining({ table: 'rm_instances', firstDifference: { key: { id: victim.id }, column: 'vm_state' } }),
        ]);
        expect((await db.query<{ vm_state: string }>(`SELECT vm_state FROM rm_instances WHERE id = ${db.param(1)}`, [victim.id]))[0].vm_state).toBe('error');
        await db.transaction((tx) => tx.query(`UPDATE rm_instances SET vm_state = 'active' WHERE id = ${db.param(1)}`, [victim.id]));
      });

      it('fails with the cause when a thread fails (here: handed a projection its code does not have)', async () => {
        const stranger: Projection = { name: 'stranger', tables: [], reads: { types: ['ProjectCreated'], prefixes: [] }, apply: async () => undefined };
        await expect(rebuildAndCompare(db, events, scratch.db, [instanceProjection, stranger], quiet, { threads: 2 })).rejects.toHaveProperty(
          'message',
          'replay: no projection named stranger here',
        );
      });

      it('notices a row missing from the live tables and a row the log never made (rebuilt on one thread)', async () => {
        const [port] = await db.query<{ id: string }>('SELECT id FROM rm_ports ORDER BY id LIMIT 1');
        await db.transaction((tx) => tx.query(`DELETE FROM rm_ports WHERE id = ${db.param(1)}`, [port.id]));
        await db.transaction((tx) => tx.query(`INSERT INTO rm_user_roles (user_id, project_id, role) VALUES ('usr-ghost', 'prj-ghost', 'admin')`));
        const report = await rebuildAndCompare(db, events, scratch.db, PROJECTIONS, quiet, { threads: 1 });
        const differing = Object.fromEntries(report.tables.filter((t) => !t.equal).map((t) => [t.table, t]));
        expect(Object.keys(differing).sort()).toEqual(['rm_ports', 'rm_user_roles']);
        expect(differing.rm_ports.replayedRows).toBe(differing.rm_ports.liveRows + 1);
        expect(differing.rm_user_roles.firstDifference).toEqual({ key: { user_id: 'usr-ghost', project_id: 'prj-ghost' }, column: null });
      });
    });
  });
}
