import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually } from '../support/eventually';
import { describeWithOpenStackClients, describeWithPostgres } from '../support/services';
import { OpenStackLogin, baseUrlOf, openStackEnv, openstackJson, prepareCloud, runClient } from '../support/openstack-clients';

type Volume = { id: string; status: string; size: number; bootable: string; description: string | null; attachments: unknown };

/** Cinder with the real CLI beyond part 1: bootable volumes from an image, descriptions, growing a volume, and cinderclient-style attach actions. */
for (const store of ['embedded', 'postgres'] as const) {
  const describeHere = store === 'postgres' ? (describeWithPostgres === describe ? describeWithOpenStackClients : describe.skip) : describeWithOpenStackClients;
  describeHere(`Volumes from images, described and extended, with the real OpenStack clients (${store})`, () => {
    jest.setTimeout(240_000);
    let backing: Backing;
    let running: RunningApp;
    let env: NodeJS.ProcessEnv;
    let member: string;
    const alice: OpenStackLogin = { username: 'alice', password: 'alice long password', project: 'demo' };
    const os = <T = unknown>(...args: string[]) => openstackJson<T>(env, ...args);
    const cli = (...args: string[]) => runClient('/usr/bin/openstack', args, env);
    const until = (name: string, status: string) =>
      eventually(
        () => os<Volume>('volume', 'show', name),
        (v) => v.status === status,
        `${name} ${status}`,
        60_000,
        200,
      );

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      await prepareCloud(running, admin, alice);
      member = await running.login(alice.username, alice.password, alice.project);
      env = openStackEnv(baseUrlOf(running), alice);
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('makes a bootable volume from an image with a description, grows it while available, and refuses to shrink it', async () => {
      await os('volume', 'create', '--size', '1', '--image', 'cirros', '--description', 'a root to be', 'from-image');
      const made = await until('from-image', 'available');
      expect(made).toMatchObject({ bootable: 'true', size: 1, description: 'a root to be' });
      await cli('volume', 'set', '--description', 'described again', 'from-image');
      expect((await os<Volume>('volume', 'show', 'from-image')).description).toBe('described again');

      await cli('volume', 'set', '--size', '3', 'from-image');
      expect((await until('from-image', 'available')).size).toBe(3);
      const shrink = await cli('volume', 'set', '--size', '2', 'from-image').catch((error: Error) => error);
      expect(String(shrink)).toMatch(/size|400|larger/i);

      await cli('volume', 'delete', 'from-image');
      await eventually(
        async () => (await os<Array<{ Name: string }>>('volume', 'list')).map((v) => v.Name),
        (names) => !names.includes('from-image'),
        'from-image gone',
      );
    });

    it('boots a server from a new volume made from the image, keeps the volume, and boots another server from it', async () => {
      const first = await os<{ id: string; status: string }>(
        'server',
        'create',
        '--flavor',
        'm1.small',
        '--image',
        'cirros',
        '--boot-from-volume',
        '2',
        '--network',
        'private',
        '--wait',
        'bfv-1',
      );
      expect(first.status).toBe('ACTIVE');
      const roots = await os<Array<{ ID: string; Size: number; 'Attached to': string }>>('volume', 'list');
      const root = roots.find((v) => JSON.stringify(v['Attached to']).includes(first.id));
      expect(root).toMatchObject({ Size: 2 });
      await cli('server', 'delete', '--wait', 'bfv-1');
      // delete_on_termination is false unless asked: the volume stays, bootable and available.
      const kept = await until(root?.ID as string, 'available');
      expect(kept.bootable).toBe('true');
      const second = await os<{ id: string; status: string }>(
        'server',
        'create',
        '--flavor',
        'm1.small',
        '--volume',
        kept.id,
        '--network',
        'private',
        '--wait',
        'bfv-2',
      );
      expect(second.status).toBe('ACTIVE');
      const busy = await cli('volume', 'delete', kept.id).catch((error: Error) => error);
      expect(String(busy)).toMatch(/409|root disk|in use/i);
      await cli('server', 'delete', '--wait', 'bfv-2');
      await until(kept.id, 'available');
      await cli('volume', 'delete', kept.id);
    });

    it("attaches and detaches with Cinder's own os-attach and os-detach actions", async () => {
      await os('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'private', '--wait', 'holder');
      const server = await os<{ id: string }>('server', 'show', 'holder');
      const volume = await os<Volume>('volume', 'create', '--size', '1', 'attached-by-cinder');
      await until('attached-by-cinder', 'available');
      const http = running.http;
      const action = (body: object) => http.post(`/volume/v3/volumes/${volume.id}/action`).set(bearer(member)).send(body);
      expect((await action({ 'os-attach': { instance_uuid: server.id, mountpoint: '/dev/vdb' } })).status).toBe(202);
      await until('attached-by-cinder', 'in-use');
      expect(JSON.stringify((await os<Volume>('volume', 'show', 'attached-by-cinder')).attachments)).toContain(server.id);
      expect((await action({ 'os-detach': {} })).status).toBe(202);
      await until('attached-by-cinder', 'available');
      expect((await action({ 'os-migrate_volume': {} })).status).toBe(400);
      await cli('volume', 'delete', 'attached-by-cinder');
      await cli('server', 'delete', '--wait', 'holder');
    });
  });
}
