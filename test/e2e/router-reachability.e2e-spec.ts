import { run, succeeds } from '../support/shell';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { domainName } from '../../src/infrastructure/libvirt/names';
import { routerNamespace } from '../../src/infrastructure/switch/ovs/ovs-routers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually } from '../support/eventually';
import { GUEST_IMAGE_DIR } from '../support/guest-image';
import { OpenStackLogin, baseUrlOf, openStackEnv, openstackJson, runClient } from '../support/openstack-clients';
import { describeWithOpenStackClients, describeWithVirt } from '../support/services';

const URI = 'qemu:///system';
const describeHere = describeWithVirt === describe ? describeWithOpenStackClients : describe.skip;
const EXTERNAL_VLAN = 3690;
const UPSTREAM = '198.51.100.1';

/**
 * The reachability table on real guests, the topology built with the openstack CLI as its users
 * do: two projects with the same CIDR on two VLANs (ICMP allowed everywhere) cannot reach each
 * other; two guests on one network can; a guest reaches the external network through its router
 * (the upstream host has no route back to the tenant CIDR: only the router's SNAT can answer); a
 * host on the external network reaches a guest by its floating IP, and no longer once it is
 * disassociated. A NAT rule removed by hand is put back, and a stray router swept.
 */
describeHere('Routers and floating IPs that really NAT (libvirt, Open vSwitch, iptables)', () => {
  const tag = randomBytes(3).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-nat-'));
  const bridge = `brn${tag}`;
  const upstreamNs = `orch-up${tag}`;
  const upstreamPort = `up${tag}`;
  const strayNs = `orch-rtr-stray${tag}`;
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  const envs: Record<'a' | 'b', NodeJS.ProcessEnv> = {} as never;
  const servers: string[] = [];
  let routerId = '';

  const osc = <T>(who: 'a' | 'b', ...args: string[]) => openstackJson<T>(envs[who], ...args);
  const cli = (who: 'a' | 'b', ...args: string[]) => runClient('/usr/bin/openstack', args, envs[who], 240_000);
  const consoleOf = (id: string) => fs.readFileSync(path.join(work, 'instances', id, 'console.log'), 'latin1');
  const pingFromUpstream = (ip: string) => succeeds('ip', 'netns', 'exec', upstreamNs, 'ping', '-c', '1', '-W', '1', ip);

  /** A project with a member, its network (the same CIDR in both), a router to `public` and a group that lets ICMP in. */
  async function tenant(who: 'a' | 'b', login: OpenStackLogin) {
    const project = await running.http.post('/v1/projects').set(bearer(admin)).send({ name: login.project }).expect(201);
    await running.http
      .post('/v1/users')
      .set(bearer(admin))
      .send({ name: login.username, password: login.password, projectId: project.body.id, role: 'member' });
    envs[who] = openStackEnv(baseUrlOf(running), login);
    await cli(who, 'network', 'create', 'tenant');
    await cli(who, 'subnet', 'create', '--network', 'tenant', '--subnet-range', '10.80.0.0/24', 'tenant-subnet');
    await cli(who, 'security', 'group', 'create', 'icmp');
    await cli(who, 'security', 'group', 'rule', 'create', '--protocol', 'icmp', '--remote-ip', '0.0.0.0/0', 'icmp');
  }

  async function boot(who: 'a' | 'b', name: string, ip: string, userData?: string) {
    const args = ['server', 'create', '--image', 'busybox', '--flavor', 'tiny', '--nic', `net-id=tenant,v4-fixed-ip=${ip}`, '--security-group', 'icmp'];
    if (userData) {
      const file = path.join(work, `${name}.sh`);
      fs.writeFileSync(file, userData);
      args.push('--user-data', file);
    }
    const server = await osc<{ id: string; status: string }>(who, ...args, '--wait', name);
    servers.push(server.id);
    expect(server.status).toBe('ACTIVE');
    await eventually(
      async () => consoleOf(server.id),
      (text) => text.includes(`ORCH-READY id=${server.id} ip=${ip}`),
      `${name} to be ready`,
      240_000,
      500,
    );
    return server.id;
  }

  beforeAll(async () => {
    backing = await createBacking('embedded', {
      ORCH_BLOCK_STORAGE: 'libvirt',
      ORCH_VOLUME_DIR: path.join(work, 'volumes'),
      ORCH_VOLUME_POOL: `onat${tag}`,
      ORCH_LIBVIRT_STATE_DIR: path.join(work, 'instances'),
      ORCH_OVS_BRIDGE: bridge,
      ORCH_VLAN_RANGE: '3600-3689',
      ORCH_EXTERNAL_VLAN: String(EXTERNAL_VLAN),
      ORCH_RECONCILE_INTERVAL_MS: '1000',
      ORCH_ORPHAN_GRACE_MS: '500',
      ORCH_SPAWN_TIMEOUT_MS: '180000',
      ORCH_GUEST_SHUTDOWN_TIMEOUT_MS: '30000',
    });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    await running.http.post('/v1/hosts').set(bearer(admin)).send({ name: 'kvm1', driver: 'libvirt', uri: URI, vcpus: 4, ramMiB: 4096, diskGiB: 50 });
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await running.http.post('/v1/images').set(bearer(admin)).send({ name: 'busybox', os: 'linux', minDiskGiB: 1, source: GUEST_IMAGE_DIR });
    // The upstream: a host on the external network, holding the pool's first address (its gateway); no route to any tenant CIDR.
    run('ovs-vsctl', '--may-exist', 'add-br', bridge, '--', 'set', 'bridge', bridge, 'datapath_type=netdev');
    run('ovs-vsctl', '--may-exist', 'add-port', bridge, upstreamPort, `tag=${EXTERNAL_VLAN}`, '--', 'set', 'Interface', upstreamPort, 'type=internal');
    run('ip', 'netns', 'add', upstreamNs);
    run('ip', 'link', 'set', upstreamPort, 'netns', upstreamNs);
    run('ip', '-n', upstreamNs, 'addr', 'add', `${UPSTREAM}/24`, 'dev', upstreamPort);
    run('ip', '-n', upstreamNs, 'link', 'set', upstreamPort, 'up');
    await tenant('a', { username: 'amy', password: 'amy long password', project: 'proj-a' });
    await tenant('b', { username: 'ben', password: 'ben long password', project: 'proj-b' });
    // Project A routes its subnet to the external network `public` (the floating-IP pool).
    routerId = (await osc<{ id: string }>('a', 'router', 'create', 'edge')).id;
    await cli('a', 'router', 'add', 'subnet', 'edge', 'tenant-subnet');
    await cli('a', 'router', 'set', '--external-gateway', 'public', 'edge');
  }, 240_000);

  afterAll(async () => {
    await running?.close();
    for (const id of servers) {
      succeeds('virsh', '-c', URI, 'destroy', domainName(id));
      succeeds('virsh', '-c', URI, 'undefine', domainName(id));
    }
    succeeds('ovs-vsctl', '--if-exists', 'del-br', bridge);
    for (const ns of run('ip', 'netns', 'list')
      .split('\n')
      .map((l) => l.split(' ')[0])) {
      if (ns === upstreamNs || ns === strayNs || (routerId && ns === routerNamespace(routerId)) || /^orch-gw36\d\d$/.test(ns))
        succeeds('ip', 'netns', 'delete', ns);
    }
    succeeds('virsh', '-c', URI, 'pool-destroy', `onat${tag}`);
    succeeds('virsh', '-c', URI, 'pool-undefine', `onat${tag}`);
    await backing?.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('keeps same-CIDR projects apart, joins a network, reaches out through the router, and lets a floating IP in until it is taken away', async () => {
    await boot('b', 'b1', '10.80.0.20');
    await boot('a', 'a2', '10.80.0.11');
    const probe = [
      '#!/bin/sh',
      `for target in same-network:10.80.0.11 other-project:10.80.0.20 external:${UPSTREAM}; do`,
      '  ping -c 3 -W 2 "${target#*:}" >/dev/null && echo "PROBE ${target%%:*}=reachable" || echo "PROBE ${target%%:*}=unreachable"',
      'done',
    ].join('\n');
    const a1 = await boot('a', 'a1', '10.80.0.10', probe);
    const probes = await eventually(
      async () => consoleOf(a1).match(/PROBE \S+=\S+/g) ?? [],
      (found) => found.length === 3,
      'the three probes of a1',
      60_000,
      500,
    );
    expect(probes.sort()).toEqual(['PROBE external=reachable', 'PROBE other-project=unreachable', 'PROBE same-network=reachable']);

    // From outside, the guest answers only by a floating IP, and only while it is associated.
    expect(pingFromUpstream('10.80.0.10')).toBe(false);
    const fip = (await osc<{ floating_ip_address: string; id: string }>('a', 'floating', 'ip', 'create', 'public')).floating_ip_address;
    expect(pingFromUpstream(fip)).toBe(false);
    const associatedAt = Date.now();
    await cli('a', 'server', 'add', 'floating', 'ip', 'a1', fip);
    await eventually(
      async () => pingFromUpstream(fip),
      (ok) => ok,
      `a ping of ${fip}`,
      30_000,
      100,
    );
    process.stdout.write(`floating IP ${fip}: first answer through NAT ${Date.now() - associatedAt} ms after the CLI call began\n`);

    // The DNAT rule removed by hand: the reconciler finds it missing, puts it back and records the
    // repair. The recorded repair after this point is the proof that the fault landed (a ping right
    // after the flush may still pass: a fast repair, or the flow's conntrack entry).
    const beforeFault = await running.store.headPosition();
    const ns = routerNamespace(routerId);
    run('ip', 'netns', 'exec', ns, 'iptables', '-t', 'nat', '-F', 'ORCH-FIP-IN');
    const repairs = await eventually(
      async () => (await running.store.readAll(beforeFault, 10_000)).filter((e) => e.type === 'PortRepaired').map((e) => (e.data as { repair: string }).repair),
      (found) => found.includes('floating-ip-restored'),
      'the repair of the flushed DNAT rule recorded',
      30_000,
      250,
    );
    expect(repairs).toContain('floating-ip-restored');
    await eventually(
      async () => pingFromUpstream(fip),
      (ok) => ok,
      'the DNAT rule put back',
      30_000,
      250,
    );

    // A router namespace nobody accounts for is an orphan: swept after its grace.
    run('ip', 'netns', 'add', strayNs);
    await eventually(
      async () => run('ip', 'netns', 'list').includes(strayNs),
      (present) => !present,
      'the stray router swept',
      30_000,
      250,
    );

    await cli('a', 'server', 'remove', 'floating', 'ip', 'a1', fip);
    await eventually(
      async () => pingFromUpstream(fip),
      (ok) => !ok,
      `${fip} gone`,
      30_000,
      250,
    );
    expect(run('ip', 'netns', 'exec', ns, 'iptables-save', '-t', 'nat')).not.toContain(fip);
  }, 900_000);
});
