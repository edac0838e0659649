import { Database } from '../../src/infrastructure/persistence/database';
import { DATABASE } from '../../src/wiring/tokens';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { describeWithPostgres } from '../support/services';

/**
 * Tamper evidence: every event carries a hash over its content and the previous event's hash;
 * GET /v1/audit/verify walks the chain and names the first position where a row was altered,
 * removed or inserted behind the store's back.
 */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Audit: the hash chain (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let db: Database;
    const p = (n: number) => db.param(n);

    const verify = async () => (await running.http.get('/v1/audit/verify').set(bearer(admin))).body;
    const positions = async () =>
      (await db.query<{ position: number | string }>('SELECT position FROM events ORDER BY position')).map((r) => Number(r.position));
    const tamper = (sql: string, params: unknown[]) => db.transaction((tx) => tx.query(sql, params));
    const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

    beforeEach(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      db = running.app.get<Database>(DATABASE);
      for (const name of ['alpha', 'beta', 'gamma']) await running.http.post('/v1/projects').set(bearer(admin)).send({ name });
    });

    afterEach(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('verifies an untouched log, for admins only', async () => {
      const all = await positions();
      expect(await verify()).toEqual({ ok: true, checked: all.length, headPosition: all[all.length - 1], headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const projectId = (await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'delta' })).body.id;
      await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'eve', password: 'long enough password', projectId, role: 'member' });
      const eve = await running.login('eve', 'long enough password', 'delta');
      expect((await running.http.get('/v1/audit/verify').set(bearer(eve))).status).toBe(403);
      expect((await verify()).ok).toBe(true); // appends after a verify go on chaining
    });

    it('names the position of a row whose content was altered', async () => {
      const target = (await positions())[3];
      const altered =
        store === 'postgres'
          ? `UPDATE events SET data = jsonb_set(data, '{name}', '"mallory"') WHERE position = ${p(1)}`
          : `UPDATE events SET data = json_set(data, '$.name', 'mallory') WHERE position = ${p(1)}`;
      await tamper(altered, [target]);
      expect(await verify()).toMatchObject({ ok: false, firstBadPosition: target, checked: 3 });
    });

    it('names the position right after a removed row', async () => {
      const all = await positions();
      await tamper(`DELETE FROM events WHERE position = ${p(1)}`, [all[2]]);
      expect(await verify()).toMatchObject({ ok: false, firstBadPosition: all[3], checked: 2 });
    });

    it('names an event inserted behind the store with a made-up hash', async () => {
      const all = await positions();
      const copy = await db.query<Record<string, unknown>>(`SELECT * FROM events WHERE position = ${p(1)}`, [all[1]]);
      const row = copy[0];
      const between = all[1] + 1;
      // A free position between two events (positions may have holes; make one by moving the tail up).
      await tamper(`UPDATE events SET position = position + 1000000 WHERE position > ${p(1)}`, [all[1]]);
      const id = store === 'postgres' ? '00000000-0000-4000-8000-00000000dead' : 'forged-event';
      await tamper(
        `INSERT INTO events (position, id, stream, version, type, schema_version, data, metadata, project_id, hash)
         VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)})`,
        [between, id, 'forged-stream', 1, row.type, row.schema_version, asText(row.data), asText(row.metadata), null, 'f'.repeat(64)],
      );
      expect(await verify()).toMatchObject({ ok: false, firstBadPosition: between });
    });
  });
}
