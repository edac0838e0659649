import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually } from '../support/eventually';

type Instance = { id: string; state: string; addresses: Array<{ portId: string; ip: string }> };

/**
 * A rule naming a remote group: the port carries one rule per address of that group's ports, and
 * follows them as they come and go (a reconciler interval of 10 minutes: the worker must do it).
 */
describe('Security-group rules naming a remote group', () => {
  let backing: Backing;
  let running: RunningApp;
  let alice: string;
  let hostId: string;

  const get = (path: string) => running.http.get(path).set(bearer(alice));
  const post = (path: string, body: object = {}) => running.http.post(path).set(bearer(alice)).send(body);
  const allowedOn = async (portId: string) => {
    const sw = running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).switch({ hostId, driver: 'simulated', uri: null });
    const port = (await sw.listPorts()).find((p) => p.portId === portId);
    return (port?.rules ?? [])
      .filter((r) => r.protocol === 'tcp' && r.portMin === 80)
      .map((r) => r.cidr)
      .sort();
  };
  const launch = async (name: string, group: string): Promise<Instance> => {
    const id = (await post('/v1/instances', { name, flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], securityGroups: [group] })).body.instances[0]
      .id as string;
    return eventually(
      async () => (await get(`/v1/instances/${id}`)).body as Instance,
      (i) => i.state === 'active',
      id,
    );
  };

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_RECONCILE_INTERVAL_MS: '600000' });
    running = await startApp(backing);
    const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    const projectId = (await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'remote' })).body.id;
    await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'alice', password: 'long enough password', projectId, role: 'member' });
    alice = await running.login('alice', 'long enough password', 'remote');
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    hostId = (await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'h', driver: 'simulated', vcpus: 16, ramMiB: 16_384, diskGiB: 100 })).body
      .id;
    await post('/v1/networks', { name: 'net', cidr: '10.8.0.0/24' });
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  it("allows exactly the addresses of the remote group's ports, as they come and go", async () => {
    const app = (await post('/v1/security-groups', { name: 'app', rules: [] })).body;
    const web = await post('/v1/security-groups', {
      name: 'web',
      rules: [{ direction: 'ingress', protocol: 'tcp', portMin: 80, portMax: 80, cidr: '0.0.0.0/0', remoteGroupId: app.id }],
    });
    expect(web.status).toBe(201);
    expect(
      (await post('/v1/security-groups', { name: 'bad', rules: [{ direction: 'ingress', protocol: 'tcp', cidr: '0.0.0.0/0', remoteGroupId: 'sg-nope' }] }))
        .status,
    ).toBe(404);

    const w = await launch('w', 'web');
    expect(await allowedOn(w.addresses[0].portId)).toEqual([]); // nobody in app yet: nothing allowed
    const a1 = await launch('a1', 'app');
    await eventually(
      () => allowedOn(w.addresses[0].portId),
      (cidrs) => cidrs.join() === `${a1.addresses[0].ip}/32`,
      'a1 allowed',
    );
    const a2 = await launch('a2', 'app');
    const both = [`${a1.addresses[0].ip}/32`, `${a2.addresses[0].ip}/32`].sort();
    await eventually(
      () => allowedOn(w.addresses[0].portId),
      (cidrs) => cidrs.join() === both.join(),
      'a1 and a2 allowed',
    );
    expect((await running.http.delete(`/v1/instances/${a1.id}`).set(bearer(alice))).status).toBe(202);
    await eventually(
      () => allowedOn(w.addresses[0].portId),
      (cidrs) => cidrs.join() === `${a2.addresses[0].ip}/32`,
      'a1 no longer allowed',
    );

    // Neutron shows the rule with its remote group, and takes one the same way.
    const rules = (await running.http.get(`/network/v2.0/security-group-rules?security_group_id=${web.body.id}`).set({ 'X-Auth-Token': alice })).body
      .security_group_rules;
    expect(rules.find((r: { protocol: string }) => r.protocol === 'tcp')).toMatchObject({ remote_group_id: app.id, remote_ip_prefix: null });
  });
});
