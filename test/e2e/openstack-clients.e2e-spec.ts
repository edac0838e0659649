import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { describeWithOpenStackClients, describeWithPostgres } from '../support/services';
import { OpenStackLogin, baseUrlOf, openStackEnv, openstackJson, prepareCloud, pythonJson, runClient, sdkConnectionAs } from '../support/openstack-clients';

type Server = { ID: string; Name: string; Status: string; Networks?: unknown };

/** The compute path driven by the real clients: the `openstack` CLI, python-novaclient, openstacksdk and libcloud. */
for (const store of ['embedded', 'postgres'] as const) {
  const describeHere = store === 'postgres' ? (describeWithPostgres === describe ? describeWithOpenStackClients : describe.skip) : describeWithOpenStackClients;
  describeHere(`The real OpenStack clients (${store})`, () => {
    jest.setTimeout(240_000);
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let env: NodeJS.ProcessEnv;
    let base: string;
    const alice: OpenStackLogin = { username: 'alice', password: 'alice long password', project: 'demo' };
    const os = <T = unknown>(...args: string[]) => openstackJson<T>(env, ...args);

    beforeAll(async () => {
      backing = await createBacking(store, { ORCH_REGION: 'RegionTwo' });
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      await prepareCloud(running, admin, alice);
      base = baseUrlOf(running);
      env = openStackEnv(base, alice, 'RegionTwo');
    });

    afterAll(async () => {
      await running?.close();
      await backing?.destroy();
    });

    it('logs in and reads the catalog, flavors, images and networks', async () => {
      const token = await os<{ id: string; project_id: string; user_id: string }>('token', 'issue');
      expect(token.id).toMatch(/^tok-/);
      // The Keystone token is one of ours: REST takes it as a bearer token.
      const me = await running.http.get('/v1/auth/tokens/current').set(bearer(token.id));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ userName: 'alice', projectId: token.project_id, userId: token.user_id });

      const catalog = await os<Array<{ Name: string; Type: string; Endpoints: Array<{ region: string; interface: string; url: string }> }>>('catalog', 'list');
      expect(catalog.map((s) => s.Type).sort()).toEqual(['block-storage', 'compute', 'ec2', 'identity', 'image', 'network', 'volumev3']);
      const compute = catalog.find((s) => s.Type === 'compute')!;
      expect(compute.Endpoints.map((e) => [e.interface, e.region, e.url])).toEqual(
        ['public', 'internal', 'admin'].map((i) => [i, 'RegionTwo', `${base}/compute/v2.1`]),
      );

      expect((await os<Array<{ Name: string; RAM: number; VCPUs: number }>>('flavor', 'list')).map((f) => [f.Name, f.RAM, f.VCPUs])).toEqual([
        ['m1.small', 512, 1],
      ]);
      expect((await os<Array<{ Name: string; Status: string }>>('image', 'list')).map((i) => [i.Name, i.Status])).toEqual([['cirros', 'active']]);
      const networks = await os<Array<{ Name: string; Subnets: string[] }>>('network', 'list');
      expect(networks.map((n) => n.Name).sort()).toEqual(['private', 'public']); // public: the floating-IP pool
    });

    it('refuses another region, wrong credentials and an unknown microversion the way the clients expect', async () => {
      await expect(openstackJson(openStackEnv(base, alice, 'Nowhere'), 'server', 'list')).rejects.toThrow(
        /endpoint for compute service in Nowhere region not found/,
      );
      await expect(openstackJson(openStackEnv(base, { ...alice, password: 'wrong password here' }, 'RegionTwo'), 'server', 'list')).rejects.toThrow(/401/);
      await expect(runClient('/usr/bin/openstack', ['--os-compute-api-version', '2.80', 'server', 'list'], env)).rejects.toThrow(
        /Version 2\.80 is not supported by the API\. Minimum is 2\.1 and maximum is 2\.73\. \(HTTP 406\)/,
      );
    });

    it('boots, stops, starts, reboots and deletes a server with the openstack CLI', async () => {
      const created = await os<{ id: string; status: string; addresses: unknown; flavor: string; image: string }>(
        'server',
        'create',
        '--flavor',
        'm1.small',
        '--image',
        'cirros',
        '--network',
        'private',
        '--wait',
        'vm1',
      );
      expect(created.status).toBe('ACTIVE');
      expect(JSON.stringify(created.addresses)).toContain('10.0.0.');
      expect(created.flavor).toContain('m1.small');

      // The same instance over REST, and its history in the event log.
      const rest = await running.http.get(`/v1/instances/${created.id}`).set(bearer(admin));
      expect(rest.body).toMatchObject({ id: created.id, name: 'vm1', state: 'active' });
      const history = (await running.http.get(`/v1/instances/${created.id}/events`).set(bearer(admin))).body.items.map((e: { type: string }) => e.type);
      expect(history).toEqual(expect.arrayContaining(['InstanceRequested', 'InstanceActivated']));

      const listed = await os<Server[]>('server', 'list');
      expect(listed.map((s) => [s.Name, s.Status])).toEqual([['vm1', 'ACTIVE']]);
      expect((await os<{ status: string; 'OS-EXT-STS:power_state': string }>('server', 'show', 'vm1')).status).toBe('ACTIVE');

      await runClient('/usr/bin/openstack', ['server', 'stop', 'vm1'], env);
      await waitForStatus('vm1', 'SHUTOFF');
      await runClient('/usr/bin/openstack', ['server', 'start', 'vm1'], env);
      await waitForStatus('vm1', 'ACTIVE');
      await runClient('/usr/bin/openstack', ['server', 'reboot', '--hard', '--wait', 'vm1'], env);
      expect((await os<{ status: string }>('server', 'show', 'vm1')).status).toBe('ACTIVE');
      await expect(runClient('/usr/bin/openstack', ['server', 'start', 'vm1'], env)).rejects.toThrow(/409|conflict|Cannot|active/i);

      await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', 'vm1'], env);
      expect(await os<Server[]>('server', 'list')).toEqual([]);
      expect((await running.http.get(`/v1/instances/${created.id}`).set(bearer(admin))).body.state).toBe('deleted');
    });

    it('boots five servers in one request, named name-1..5', async () => {
      await os('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'private', '--min', '5', '--max', '5', '--wait', 'web');
      const listed = await os<Server[]>('server', 'list', '--name', '^web-');
      expect(listed.map((s) => s.Name).sort()).toEqual(['web-1', 'web-2', 'web-3', 'web-4', 'web-5']);
      expect(listed.every((s) => s.Status === 'ACTIVE')).toBe(true);
      const limits = await os<Array<{ Name: string; Value: number }>>('limits', 'show', '--absolute');
      expect(limits.find((l) => l.Name === 'totalInstancesUsed')?.Value).toBe(5);
      expect(limits.find((l) => l.Name === 'maxTotalInstances')?.Value).toBe(40);
      const quota = await os<Record<string, unknown>>('quota', 'show');
      expect(quota).toMatchObject({ instances: 40, cores: 80, ram: 40_960 });
    });

    it("sets a server's properties, tags and security groups with the CLI", async () => {
      await running.http
        .post('/v1/security-groups')
        .set(bearer(await running.login(alice.username, alice.password, alice.project)))
        .send({ name: 'web', rules: [] })
        .expect(201);
      await os('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'private', '--property', 'role=web', '--wait', 'dressed');
      await runClient('/usr/bin/openstack', ['server', 'set', '--property', 'tier=front', 'dressed'], env);
      await runClient('/usr/bin/openstack', ['--os-compute-api-version', '2.26', 'server', 'set', '--tag', 'blue', 'dressed'], env);
      await runClient('/usr/bin/openstack', ['server', 'add', 'security', 'group', 'dressed', 'web'], env);
      const shown = await os<{ properties: unknown; tags: string[]; security_groups: unknown }>(
        '--os-compute-api-version',
        '2.26',
        'server',
        'show',
        'dressed',
      );
      expect(shown.properties).toEqual({ role: 'web', tier: 'front' });
      expect(shown.tags).toEqual(['blue']);
      expect(JSON.stringify(shown.security_groups)).toContain('web');
      await runClient('/usr/bin/openstack', ['server', 'remove', 'security', 'group', 'dressed', 'web'], env);
      expect(JSON.stringify((await os<{ security_groups: unknown }>('server', 'show', 'dressed')).security_groups)).not.toContain('web');
      await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', 'dressed'], env);
    });

    it('creates, attaches, snapshots, restores, detaches and deletes volumes with the CLI', async () => {
      const volume = await os<{ id: string }>('volume', 'create', '--size', '1', 'data');
      await waitForVolume('data', 'available');
      await os('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'private', '--wait', 'storage');
      await runClient('/usr/bin/openstack', ['server', 'add', 'volume', 'storage', 'data'], env);
      await waitForVolume('data', 'in-use');
      const shown = await os<{ attachments: Array<{ server_id: string; device: string }> }>('volume', 'show', 'data');
      expect(shown.attachments).toEqual([expect.objectContaining({ device: '/dev/vdb' })]);
      await os('volume', 'snapshot', 'create', '--volume', 'data', 'snap');
      for (let i = 0; i < 100 && (await os<{ status: string }>('volume', 'snapshot', 'show', 'snap')).status !== 'available'; i++) await sleep(200);
      await os('volume', 'create', '--snapshot', 'snap', '--size', '1', 'restored');
      await waitForVolume('restored', 'available');
      await runClient('/usr/bin/openstack', ['server', 'remove', 'volume', 'storage', 'data'], env);
      await waitForVolume('data', 'available');
      const quota = await os<Record<string, unknown>>('quota', 'show');
      expect(quota).toMatchObject({ volumes: 10, gigabytes: 1000 });
      await runClient('/usr/bin/openstack', ['volume', 'set', '--name', 'copy', 'restored'], env);
      expect((await os<{ id: string }>('volume', 'show', 'copy')).id).toEqual(expect.stringMatching(/^vol-/));
      await expect(runClient('/usr/bin/openstack', ['volume', 'delete', 'data'], env)).rejects.toThrow(/snapshot/i); // it has one
      await runClient('/usr/bin/openstack', ['volume', 'snapshot', 'delete', 'snap'], env);
      for (let i = 0; i < 100 && (await os<Array<unknown>>('volume', 'snapshot', 'list')).length > 0; i++) await sleep(200);
      await runClient('/usr/bin/openstack', ['volume', 'delete', 'data', 'copy'], env);
      await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', 'storage'], env);
      // Nothing of these left: the data volumes, the restored one, the server's root disk.
      const mine = async () =>
        (await os<Array<{ Name: string }>>('volume', 'list')).map((v) => v.Name).filter((n) => ['data', 'restored', 'copy', 'storage-root'].includes(n));
      for (let i = 0; i < 100 && (await mine()).length > 0; i++) await sleep(200);
      expect(await mine()).toEqual([]);
      // The same volume over REST, with its history.
      expect((await running.http.get(`/v1/volumes/${volume.id}`).set(bearer(admin))).body.status).toBe('deleted');
    });

    it('creates a security group with rules, and a floating IP from public that follows a server', async () => {
      const group = await os<{ id: string; rules: unknown }>('security', 'group', 'create', 'ssh');
      expect(JSON.stringify(group.rules)).toContain('egress'); // Neutron's default egress rule
      await os('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '10.0.0.0/8', 'ssh');
      const rules = await os<Array<{ 'IP Protocol': string | null; 'Port Range': string; 'IP Range': string }>>('security', 'group', 'rule', 'list', 'ssh');
      expect(rules.find((r) => r['IP Protocol'] === 'tcp')).toMatchObject({ 'Port Range': '22:22', 'IP Range': '10.0.0.0/8' });

      await os('server', 'create', '--flavor', 'm1.small', '--image', 'cirros', '--network', 'private', '--security-group', 'ssh', '--wait', 'reachable');
      const fip = await os<{ floating_ip_address: string; id: string }>('floating', 'ip', 'create', 'public');
      expect(fip.floating_ip_address).toMatch(/^198\.51\.100\./);
      await runClient('/usr/bin/openstack', ['server', 'add', 'floating', 'ip', 'reachable', fip.floating_ip_address], env);
      const ports = await os<Array<{ ID: string }>>('port', 'list', '--server', 'reachable');
      expect((await os<{ port_id: string }>('floating', 'ip', 'show', fip.id)).port_id).toBe(ports[0].ID);
      expect(JSON.stringify((await os<{ addresses: unknown }>('server', 'show', 'reachable')).addresses)).toContain(fip.floating_ip_address);
      await runClient('/usr/bin/openstack', ['server', 'remove', 'floating', 'ip', 'reachable', fip.floating_ip_address], env);
      expect((await os<{ port_id: string | null }>('floating', 'ip', 'show', fip.id)).port_id).toBeNull();
      await runClient('/usr/bin/openstack', ['floating', 'ip', 'delete', fip.id], env);
      await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', 'reachable'], env);
      await runClient('/usr/bin/openstack', ['security', 'group', 'delete', 'ssh'], env);
      expect(await os('floating', 'ip', 'list')).toEqual([]);
      expect((await os<Array<{ Name: string }>>('security', 'group', 'list')).map((g) => g.Name)).not.toContain('ssh');
    });

    it('generates and imports key pairs', async () => {
      const generated = await runClient('/usr/bin/openstack', ['keypair', 'create', 'k1'], env);
      expect(generated.stdout).toContain('BEGIN RSA PRIVATE KEY');
      const keys = await os<Array<{ Name: string; Fingerprint: string }>>('keypair', 'list');
      expect(keys.map((k) => k.Name)).toEqual(['k1']);
      const shown = await os<{ name: string; fingerprint: string }>('keypair', 'show', 'k1');
      expect(shown.fingerprint).toMatch(/^SHA256:/);
      await expect(runClient('/usr/bin/openstack', ['keypair', 'create', 'k1'], env)).rejects.toThrow(/409|exists/i);
    });

    it('boots a server from a python-novaclient script on a keystoneauth1 v3 session with region_name', async () => {
      const result = await pythonJson<{ status: string; networks: Record<string, string[]>; id: string }>(`
import json, time
from keystoneauth1 import session
from keystoneauth1.identity import v3
from novaclient import client
auth = v3.Password(auth_url='${base}/identity/v3', username='alice', password='${alice.password}', project_name='demo', user_domain_name='Default', project_domain_name='Default')
nova = client.Client('2.1', session=session.Session(auth=auth), region_name='RegionTwo')
flavor = nova.flavors.find(name='m1.small')
image = nova.glance.find_image('cirros')
net = nova.neutron.find_network('private')
server = nova.servers.create('from-novaclient', image, flavor, nics=[{'net-id': net.id}])
for _ in range(200):
    server = nova.servers.get(server.id)
    if server.status != 'BUILD':
        break
    time.sleep(0.1)
print(json.dumps({'status': server.status, 'networks': server.networks, 'id': server.id}))
`);
      expect(result.status).toBe('ACTIVE');
      expect(result.networks.private[0]).toMatch(/^10\.0\.0\./);
    });

    it('creates and deletes a server with openstacksdk from a clouds.yaml', async () => {
      const result = await pythonJson<{ created: string; deleted: boolean; gone: boolean }>(`
${sdkConnection()}
server = conn.create_server('from-sdk', image='cirros', flavor='m1.small', network='private', wait=True, timeout=60)
deleted = conn.delete_server(server.id, wait=True, timeout=60)
print(json.dumps({'created': server.status, 'deleted': deleted, 'gone': conn.get_server(server.id) is None}))
`);
      expect(result).toEqual({ created: 'ACTIVE', deleted: true, gone: true });
    });

    it('creates, attaches, snapshots, detaches and deletes a volume with openstacksdk', async () => {
      const result = await pythonJson(`
${sdkConnection()}
server = conn.create_server('sdk-volumes', image='cirros', flavor='m1.small', network='private', wait=True, timeout=60)
volume = conn.create_volume(size=1, name='sdk-data', wait=True, timeout=60)
conn.attach_volume(server, volume, wait=True, timeout=60)
attached = conn.get_volume(volume.id).status
conn.detach_volume(server, volume, wait=True, timeout=60)
detached = conn.get_volume(volume.id).status
snapshot = conn.create_volume_snapshot(volume.id, name='sdk-snap', wait=True, timeout=60)
conn.delete_volume_snapshot(snapshot.id, wait=True, timeout=60)
deleted = conn.delete_volume(volume.id, wait=True, timeout=60)
conn.delete_server(server.id, wait=True, timeout=60)
print(json.dumps({'attached': attached, 'detached': detached, 'snapshot': snapshot.status, 'deleted': deleted, 'gone': conn.get_volume(volume.id) is None}))
`);
      expect(result).toEqual({ attached: 'in-use', detached: 'available', snapshot: 'available', deleted: true, gone: true });
    });

    it("lists and creates nodes with libcloud's OpenStack driver", async () => {
      const result = await pythonJson<{ before: string[]; created: string; after: string[] }>(`
import json
from libcloud.compute.types import Provider
from libcloud.compute.providers import get_driver
driver = get_driver(Provider.OPENSTACK)('alice', '${alice.password}', ex_force_auth_url='${base}/identity/v3/auth/tokens',
    ex_force_auth_version='3.x_password', ex_tenant_name='demo', ex_domain_name='Default', ex_force_service_region='RegionTwo', api_version='2.0')
before = sorted(n.name for n in driver.list_nodes())
size = [s for s in driver.list_sizes() if s.name == 'm1.small'][0]
image = [i for i in driver.list_images() if i.name == 'cirros'][0]
network = [n for n in driver.ex_list_networks() if n.name == 'private'][0]
node = driver.create_node(name='from-libcloud', size=size, image=image, networks=[network])
print(json.dumps({'before': before, 'created': node.name, 'after': sorted(n.name for n in driver.list_nodes())}))
`);
      expect(result.created).toBe('from-libcloud');
      expect(result.after).toEqual([...result.before, 'from-libcloud'].sort());
    });

    const sdkConnection = () => sdkConnectionAs(base, alice, 'RegionTwo');
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    async function waitForVolume(name: string, status: string): Promise<void> {
      for (let i = 0; i < 100; i++) {
        if ((await os<{ status: string }>('volume', 'show', name)).status === status) return;
        await sleep(200);
      }
      throw new Error(`volume ${name} never reached ${status}`);
    }

    async function waitForStatus(name: string, status: string): Promise<void> {
      for (let i = 0; i < 100; i++) {
        if ((await os<{ status: string }>('server', 'show', name)).status === status) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${name} never reached ${status}`);
    }
  });
}
