import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually } from '../support/eventually';

describe('Security groups over HTTP', () => {
  let backing: Backing;
  let running: RunningApp;
  let alice: string;
  let hostId: string;

  const get = (path: string) => running.http.get(path).set(bearer(alice));
  const post = (path: string, body: object = {}) => running.http.post(path).set(bearer(alice)).send(body);
  const del = (path: string) => running.http.delete(path).set(bearer(alice));
  const sw = () => running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).switch({ hostId, driver: 'simulated', uri: null });
  const rulesOn = async (portId: string) => (await sw().listPorts()).find((p) => p.portId === portId)?.rules;
  const launch = async (body: object) => {
    const res = await post('/v1/instances', { flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], ...body });
    expect(res.status).toBe(202);
    const id = res.body.instances[0].id as string;
    return eventually(
      async () => (await get(`/v1/instances/${id}`)).body,
      (i) => i.state === 'active' || i.state === 'error',
      id,
    );
  };
  const icmp = { direction: 'ingress', protocol: 'icmp', cidr: '0.0.0.0/0' };
  const ssh = { direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '10.0.0.0/8' };

  beforeAll(async () => {
    backing = await createBacking('embedded', { ORCH_RECONCILE_INTERVAL_MS: '100' });
    running = await startApp(backing);
    const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    const projectId = (await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'sg' })).body.id;
    await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'alice', password: 'long enough password', projectId, role: 'member' });
    alice = await running.login('alice', 'long enough password', 'sg');
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    hostId = (await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'h', driver: 'simulated', vcpus: 8, ramMiB: 8192, diskGiB: 100 })).body.id;
    await post('/v1/networks', { name: 'net', cidr: '10.9.0.0/24' });
  });

  afterAll(async () => {
    await running?.close();
    await backing?.destroy();
  });

  it('creates a group, launches with it, and carries added and removed rules to the port', async () => {
    const created = await post('/v1/security-groups', { name: 'web', rules: [ssh] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^sg-/), name: 'web', rules: [{ ...ssh, ruleId: expect.stringMatching(/^sgr-/) }] });
    const groupId = created.body.id;
    expect((await post('/v1/security-groups', { name: 'WEB' })).status).toBe(409);

    const vm = await launch({ name: 'guarded', securityGroups: ['web'] });
    expect(vm.state).toBe('active');
    const portId = vm.addresses[0].portId;
    expect((await get(`/v1/ports/${portId}`)).body.securityGroups).toEqual([groupId]);
    expect(await rulesOn(portId)).toEqual([{ direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '10.0.0.0/8' }]);

    const added = await post(`/v1/security-groups/${groupId}/rules`, icmp);
    expect(added.status).toBe(201);
    expect((await post(`/v1/security-groups/${groupId}/rules`, icmp)).status).toBe(409);
    await eventually(
      () => rulesOn(portId),
      (rules) => rules?.length === 2,
      'icmp rule on the port',
    );

    const icmpRule = added.body.rules.find((r: { protocol: string }) => r.protocol === 'icmp');
    expect((await del(`/v1/security-groups/${groupId}/rules/${icmpRule.ruleId}`)).status).toBe(200);
    await eventually(
      () => rulesOn(portId),
      (rules) => rules?.length === 1 && rules[0].protocol === 'tcp',
      'icmp rule gone',
    );

    expect((await del(`/v1/security-groups/${groupId}`)).status).toBe(409);
    expect((await del(`/v1/instances/${vm.id}`)).status).toBe(202);
    await eventually(
      async () => (await del(`/v1/security-groups/${groupId}`)).status,
      (status) => status === 204,
      'group deletable',
    );
    expect((await get(`/v1/security-groups/${groupId}`)).status).toBe(404);
  });

  it('refuses bad rules and unknown groups without creating anything', async () => {
    const bad = [
      { ...ssh, portMin: 80, portMax: 22 },
      { ...ssh, portMax: undefined },
      { ...icmp, portMin: 1, portMax: 2 },
      { ...icmp, cidr: '10.0.0.1/8' },
      { ...icmp, cidr: 'anywhere' },
      { ...icmp, protocol: 'gre' },
      { ...icmp, direction: 'sideways' },
    ];
    for (const rule of bad) {
      const res = await post('/v1/security-groups', { name: 'bad', rules: [rule] });
      expect({ rule, status: res.status }).toEqual({ rule, status: 400 });
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    expect((await post('/v1/security-groups', { name: 'bad', rules: [icmp, icmp] })).body.error.code).toBe('DuplicateRule');
    expect((await get('/v1/security-groups')).body.items.map((g: { name: string }) => g.name)).not.toContain('bad');
    // The name was not left claimed by the refused attempts.
    expect((await post('/v1/security-groups', { name: 'bad' })).status).toBe(201);
    const refused = await post('/v1/instances', { name: 'x', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], securityGroups: ['nope'] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SecurityGroupNotFound');
  });

  it('puts back a port removed out of band and rules changed behind its back, with an event each', async () => {
    const groupId = (await post('/v1/security-groups', { name: 'repair', rules: [icmp] })).body.id;
    const vm = await launch({ name: 'repaired', securityGroups: [groupId] });
    const portId = vm.addresses[0].portId;
    await eventually(
      () => rulesOn(portId),
      (rules) => rules?.length === 1,
      'rules applied',
    );

    sw().removePortOutOfBand(portId);
    await eventually(
      () => rulesOn(portId),
      (rules) => rules?.length === 1,
      'port plugged again',
    );
    await sw().applySecurityRules(portId, []);
    await eventually(
      () => rulesOn(portId),
      (rules) => rules?.length === 1,
      'rules restored',
    );

    const repairs = async () =>
      (await running.store.readStream(`port-${portId}`)).filter((e) => e.type === 'PortRepaired').map((e) => (e.data as { repair: string }).repair);
    expect(await eventually(repairs, (r) => r.length === 2, 'repair events')).toEqual(['replugged', 'rules-restored']);
  });
});
