import { run, succeeds } from '../support/shell';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gatewayNamespace } from '../../src/infrastructure/switch/ovs/ovs-switch';
import { domainName, tapName } from '../../src/infrastructure/libvirt/names';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually, settled } from '../support/eventually';
import { GUEST_IMAGE_DIR } from '../support/guest-image';
import { describeWithVirt } from '../support/services';
import { removeVirtLeftovers } from '../support/virt-cleanup';

const URI = 'qemu:///system';

/**
 * The orchestrator on this machine's libvirt and Open vSwitch, through its REST API: real QEMU
 * guests (TCG) that boot the busybox test image, two tenant networks as VLANs, security groups as
 * OpenFlow rules, volumes as qcow2 files in a libvirt pool.
 */
describeWithVirt('Real infrastructure: libvirt guests, Open vSwitch networks, pool volumes (embedded store)', () => {
  const tag = randomBytes(3).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-real-'));
  const volumeDir = path.join(work, 'volumes');
  const stateDir = path.join(work, 'instances');
  const bridge = `bre${tag}`;
  const pool = `oe2e${tag}`;
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let member: string;
  const instances: Record<'a' | 'b' | 'c', { id: string; ip: string }> = {} as never;
  const networks: Record<'one' | 'two', { id: string; vlan: number }> = {} as never;
  let groupId: string;

  const get = (p: string) => running.http.get(p).set(bearer(member));
  const post = (p: string, body: object = {}) => running.http.post(p).set(bearer(member)).send(body);
  const del = (p: string) => running.http.delete(p).set(bearer(member));
  const settle = (operationId: string, timeoutMs = 240_000) =>
    settled(async () => (await get(`/v1/operations/${operationId}`)).body, operationId, timeoutMs, 250);
  const pingFrom = (network: 'one' | 'two', ip: string) =>
    succeeds('ip', 'netns', 'exec', gatewayNamespace(networks[network].vlan), 'ping', '-c', '1', '-W', '1', ip);
  const consoleOf = (instanceId: string) => fs.readFileSync(path.join(stateDir, instanceId, 'console.log'), 'latin1');
  const launch = async (name: string, network: 'one' | 'two', ip: string, extra: object = {}) => {
    const accepted = await post('/v1/instances', { name, flavor: 'tiny', image: 'busybox', networks: [{ network: networks[network].id, ip }], ...extra });
    expect(accepted.status).toBe(202);
    return accepted.body;
  };

  beforeAll(async () => {
    backing = await createBacking('embedded', {
      ORCH_BLOCK_STORAGE: 'libvirt',
      ORCH_VOLUME_DIR: volumeDir,
      ORCH_VOLUME_POOL: pool,
      ORCH_LIBVIRT_STATE_DIR: stateDir,
      ORCH_OVS_BRIDGE: bridge,
      ORCH_VLAN_RANGE: '3700-3799',
      ORCH_RECONCILE_INTERVAL_MS: '1000',
      ORCH_ORPHAN_GRACE_MS: '500',
      ORCH_SPAWN_TIMEOUT_MS: '180000',
      ORCH_GUEST_SHUTDOWN_TIMEOUT_MS: '30000',
    });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    const projectId = (await running.http.post('/v1/projects').set(bearer(admin)).send({ name: 'real' })).body.id;
    await running.http.post('/v1/users').set(bearer(admin)).send({ name: 'operator', password: 'long enough password', projectId, role: 'member' });
    member = await running.login('operator', 'long enough password', 'real');
    await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'kvm1', driver: 'libvirt', uri: URI, vcpus: 2, ramMiB: 4096, diskGiB: 50 });
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'busybox', os: 'linux', minDiskGiB: 1, source: GUEST_IMAGE_DIR });
    for (const [key, cidr] of [
      ['one', '10.61.0.0/24'],
      ['two', '10.62.0.0/24'],
    ] as const) {
      const created = await post('/v1/networks', { name: `net-${key}`, cidr });
      networks[key] = { id: created.body.id, vlan: created.body.vlan };
    }
    groupId = (
      await post('/v1/security-groups', { name: 'ssh-only', rules: [{ direction: 'ingress', protocol: 'tcp', portMin: 22, portMax: 22, cidr: '0.0.0.0/0' }] })
    ).body.id;
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    removeVirtLeftovers({
      instanceIds: Object.values(instances).map((i) => i.id),
      bridge,
      namespaces: Object.values(networks).map((n) => gatewayNamespace(n.vlan)),
      pool,
    });
    await backing?.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('boots three guests on two networks with the addresses IPAM gave them; a network reaches its own, never the other', async () => {
    const c = await launch('c', 'one', '10.61.0.20');
    const b = await launch('b', 'two', '10.62.0.30', { securityGroups: ['ssh-only'] });
    for (const op of [c, b]) expect(await settle(op.operation.id)).toMatchObject({ status: 'succeeded', errors: [] });
    // A probes from inside: its neighbour on the same network answers, the guest on the other does not.
    const userData = [
      '#!/bin/sh',
      'ping -c 2 -W 2 10.61.0.20 >/dev/null && echo "PROBE same-network=reachable" || echo "PROBE same-network=unreachable"',
      'ping -c 2 -W 2 10.62.0.30 >/dev/null && echo "PROBE other-network=reachable" || echo "PROBE other-network=unreachable"',
    ].join('\n');
    const a = await launch('a', 'one', '10.61.0.10', { userData });
    expect((await settle(a.operation.id)).status).toBe('succeeded');
    for (const [key, op] of [
      ['a', a],
      ['b', b],
      ['c', c],
    ] as const) {
      const view = (await get(`/v1/instances/${op.instances[0].id}`)).body;
      expect(view).toMatchObject({ state: 'active', powerState: 'running' });
      instances[key] = { id: view.id, ip: view.addresses[0].ip };
      expect(consoleOf(view.id)).toContain(`ORCH-READY id=${view.id} ip=${view.addresses[0].ip}`);
    }
    expect(instances.a.ip).toBe('10.61.0.10');
    expect(consoleOf(instances.a.id)).toContain('PROBE same-network=reachable');
    expect(consoleOf(instances.a.id)).toContain('PROBE other-network=unreachable');
    expect(pingFrom('one', instances.a.ip)).toBe(true);
    expect(pingFrom('one', instances.c.ip)).toBe(true);
    expect(pingFrom('one', instances.b.ip)).toBe(false); // another VLAN
  }, 600_000);

  it('opens and closes ICMP with a security-group rule', async () => {
    expect(pingFrom('two', instances.b.ip)).toBe(false); // ssh-only
    const added = await post(`/v1/security-groups/${groupId}/rules`, { direction: 'ingress', protocol: 'icmp', cidr: '10.62.0.0/24' });
    expect(added.status).toBe(201);
    await eventually(
      async () => pingFrom('two', instances.b.ip),
      (ok) => ok,
      'ICMP allowed',
      30_000,
      500,
    );
    const ruleId = (added.body.rules as Array<{ ruleId: string; protocol: string }>).find((r) => r.protocol === 'icmp')?.ruleId;
    expect((await del(`/v1/security-groups/${groupId}/rules/${ruleId}`)).status).toBeLessThan(300);
    await eventually(
      async () => pingFrom('two', instances.b.ip),
      (ok) => !ok,
      'ICMP blocked again',
      30_000,
      500,
    );
  }, 120_000);

  it('stops, starts and reboots a guest, which keeps its address and answers again', async () => {
    const act = async (action: string) => {
      const accepted = await post(`/v1/instances/${instances.a.id}/actions`, { action });
      expect(accepted.status).toBe(202);
      expect((await settle(accepted.body.operation.id)).status).toBe('succeeded');
    };
    await act('stop');
    expect(run('virsh', '-c', URI, 'domstate', domainName(instances.a.id)).trim()).toBe('shut off');
    expect(pingFrom('one', instances.a.ip)).toBe(false);
    await act('start');
    await eventually(
      async () => pingFrom('one', instances.a.ip),
      (ok) => ok,
      'answers after start',
      60_000,
      500,
    );
    await act('reboot');
    await eventually(
      async () => pingFrom('one', instances.a.ip),
      (ok) => ok,
      'answers after reboot',
      60_000,
      500,
    );
    expect((await get(`/v1/instances/${instances.a.id}`)).body).toMatchObject({ state: 'active', addresses: [expect.objectContaining({ ip: '10.61.0.10' })] });
  }, 400_000);

  it('attaches a volume to a running guest and detaches it', async () => {
    const created = await post('/v1/volumes', { name: 'data', sizeGiB: 1 });
    expect((await settle(created.body.operation.id)).status).toBe('succeeded');
    const volumeId = created.body.volume.id;
    const file = path.join(volumeDir, `${volumeId}.qcow2`);
    expect(fs.existsSync(file)).toBe(true);
    const attached = await post(`/v1/volumes/${volumeId}/attach`, { instanceId: instances.a.id });
    expect((await settle(attached.body.operation.id)).status).toBe('succeeded');
    expect(run('virsh', '-c', URI, 'domblklist', domainName(instances.a.id))).toMatch(new RegExp(`vdb\\s+${file.replace(/[.]/g, '\\.')}`));
    const detached = await post(`/v1/volumes/${volumeId}/detach`);
    expect((await settle(detached.body.operation.id)).status).toBe('succeeded');
    expect(run('virsh', '-c', URI, 'domblklist', domainName(instances.a.id))).not.toContain(file);
    const deleted = await del(`/v1/volumes/${volumeId}`);
    expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
    expect(fs.existsSync(file)).toBe(false);
  }, 240_000);

  it('repairs what is changed behind its back: a guest destroyed, a rogue domain, a switch port removed', async () => {
    const hostId = (await running.http.get('/v1/hosts').set(bearer(admin))).body.items[0].id;
    const events = async (stream: string) => (await running.store.readStream(stream)).map((e) => ({ type: e.type, data: e.data as Record<string, unknown> }));

    // A guest killed out of band: noticed within 10 s (a lifecycle event), recorded, and accepted as stopped.
    const killedAt = Date.now();
    run('virsh', '-c', URI, 'destroy', domainName(instances.c.id));
    await eventually(
      async () => (await get(`/v1/instances/${instances.c.id}`)).body.state,
      (state) => state === 'stopped',
      'c accepted as stopped',
      10_000,
      200,
    );
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect((await events(`instance-${instances.c.id}`)).map((e) => e.type)).toContain('InstancePowerStateDrifted');

    // A domain that looks like one of ours but that nothing accounts for: an orphan, removed after the grace period.
    const rogue = `rogue-${tag}`;
    const xml = path.join(work, 'rogue.xml');
    fs.writeFileSync(
      xml,
      `<domain type='qemu'><name>${domainName(rogue)}</name><memory unit='MiB'>128</memory><os><type arch='x86_64'>hvm</type>` +
        `<kernel>${GUEST_IMAGE_DIR}/vmlinuz</kernel><initrd>${GUEST_IMAGE_DIR}/initrd.img</initrd></os></domain>`,
    );
    run('virsh', '-c', URI, 'define', xml);
    const orphans = await eventually(
      () => events(`orphans-${hostId}`),
      (e) => e.some((x) => x.type === 'OrphanRemoved' && x.data.id === rogue),
      'rogue domain removed',
      30_000,
      500,
    );
    expect(orphans.filter((x) => x.data.id === rogue).map((x) => [x.type, x.data.kind])).toEqual([
      ['OrphanFound', 'domain'],
      ['OrphanRemoved', 'domain'],
    ]);
    expect(run('virsh', '-c', URI, 'list', '--all', '--name')).not.toContain(domainName(rogue));

    // A's port taken off the bridge: plugged again, with an event, and A answers again.
    const portId = (await get(`/v1/instances/${instances.a.id}`)).body.addresses[0].portId;
    run('ovs-vsctl', 'del-port', bridge, tapName(portId));
    expect(pingFrom('one', instances.a.ip)).toBe(false);
    await eventually(
      () => events(`port-${portId}`),
      (e) => e.some((x) => x.type === 'PortRepaired'),
      'port repaired',
      30_000,
      500,
    );
    await eventually(
      async () => pingFrom('one', instances.a.ip),
      (ok) => ok,
      'a answers again',
      30_000,
      500,
    );
  }, 120_000);

  it('leaves no domain, switch port, overlay or volume file once everything is deleted', async () => {
    for (const { id } of Object.values(instances)) {
      const deleted = await del(`/v1/instances/${id}`);
      expect((await settle(deleted.body.operation.id)).status).toBe('succeeded');
    }
    for (const { id } of Object.values(networks)) expect((await del(`/v1/networks/${id}`)).status).toBeLessThan(300);
    expect((await del(`/v1/security-groups/${groupId}`)).status).toBeLessThan(300);
    const domains = run('virsh', '-c', URI, 'list', '--all', '--name');
    for (const { id } of Object.values(instances)) expect(domains).not.toContain(domainName(id));
    // The deleted networks' gateway ports go with the reconciler's next passes (recorded as orphan segments).
    const leftOnSwitch = () => ({
      ports: run('ovs-vsctl', 'list-ports', bridge).trim(),
      namespaces: Object.values(networks).filter((n) => succeeds('ip', 'netns', 'exec', gatewayNamespace(n.vlan), 'true')).length,
    });
    await eventually(
      async () => leftOnSwitch(),
      (left) => left.ports === '' && left.namespaces === 0,
      'every port and gateway off the switch',
      30_000,
      500,
    );
    expect(fs.readdirSync(volumeDir).filter((f) => f.endsWith('.qcow2'))).toEqual([]);
    for (const { id } of Object.values(instances)) expect(fs.existsSync(path.join(stateDir, id))).toBe(false);
  }, 300_000);
});
