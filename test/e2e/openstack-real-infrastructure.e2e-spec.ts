import { succeeds } from '../support/shell';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { domainName } from '../../src/infrastructure/libvirt/names';
import { gatewayNamespace } from '../../src/infrastructure/switch/ovs/ovs-switch';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { awsEc2, awsEnv, createAccessKey, ec2Endpoint } from '../support/aws-clients';
import { eventually } from '../support/eventually';
import { GUEST_IMAGE_DIR } from '../support/guest-image';
import { baseUrlOf, openStackEnv, openstackJson, runClient } from '../support/openstack-clients';
import { describeWithOpenStackClients, describeWithVirt } from '../support/services';
import { removeVirtLeftovers } from '../support/virt-cleanup';

const URI = 'qemu:///system';
const describeHere = describeWithVirt === describe ? describeWithOpenStackClients : describe.skip;

/**
 * The OpenStack path on real infrastructure: an image uploaded with `openstack image create --file`
 * (a disk that boots by itself: SYSLINUX, the test kernel and initramfs) is booted by
 * `openstack server create` as a libvirt guest whose root volume is backed by the uploaded file,
 * and the guest answers a ping from its network's gateway; EC2's GetConsoleOutput shows its console.
 */
describeHere('The openstack CLI on libvirt and Open vSwitch (embedded store)', () => {
  const tag = randomBytes(3).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-os-real-'));
  const bridge = `bro${tag}`;
  const pool = `oos${tag}`;
  let backing: Backing;
  let running: RunningApp;
  let env: NodeJS.ProcessEnv;
  let vlan = 0;
  let serverId = '';

  beforeAll(async () => {
    backing = await createBacking('embedded', {
      ORCH_BLOCK_STORAGE: 'libvirt',
      ORCH_VOLUME_DIR: path.join(work, 'volumes'),
      ORCH_VOLUME_POOL: pool,
      ORCH_LIBVIRT_STATE_DIR: path.join(work, 'instances'),
      ORCH_IMAGE_DIR: path.join(work, 'images'),
      ORCH_OVS_BRIDGE: bridge,
      ORCH_VLAN_RANGE: '3800-3899',
      ORCH_SPAWN_TIMEOUT_MS: '180000',
      ORCH_GUEST_SHUTDOWN_TIMEOUT_MS: '30000',
    });
    running = await startApp(backing);
    const admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    await running.http
      .post('/v1/hosts')
      .set(bearer(admin))
      .send({ name: 'kvm1', driver: 'libvirt', uri: URI, vcpus: 2, ramMiB: 4096, diskGiB: 50 })
      .expect(201);
    await running.http.post('/v1/flavors').set(bearer(admin)).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 }).expect(201);
    vlan = (await running.http.post('/v1/networks').set(bearer(admin)).send({ name: 'real', cidr: '10.71.0.0/24' }).expect(201)).body.vlan;
    env = openStackEnv(baseUrlOf(running), { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' });
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    removeVirtLeftovers({ instanceIds: serverId ? [serverId] : [], bridge, namespaces: vlan ? [gatewayNamespace(vlan)] : [], pool });
    await backing?.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('boots a guest from an image uploaded with the CLI, and the guest answers a ping', async () => {
    const disk = path.join(GUEST_IMAGE_DIR, 'disk.qcow2');
    const image = await openstackJson<{ id: string }>(
      env,
      'image',
      'create',
      '--file',
      disk,
      '--disk-format',
      'qcow2',
      '--container-format',
      'bare',
      'uploaded',
    );
    const shown = await openstackJson<{ status: string; size: number }>(env, 'image', 'show', image.id);
    expect(shown).toMatchObject({ status: 'active', size: fs.statSync(disk).size });

    const server = await openstackJson<{ id: string; status: string; addresses: Record<string, string[]> | string }>(
      env,
      'server',
      'create',
      '--image',
      'uploaded',
      '--flavor',
      'tiny',
      '--network',
      'real',
      '--wait',
      'from-glance',
    );
    serverId = server.id;
    expect(server.status).toBe('ACTIVE');
    const ip = /10\.71\.0\.\d+/.exec(JSON.stringify(server.addresses))?.[0] as string;
    expect(ip).toBeDefined();
    // The guest booted from its own disk (no kernel given by the host), and brought its network up.
    const console = path.join(work, 'instances', serverId, 'console.log');
    await eventually(
      async () => fs.readFileSync(console, 'latin1'),
      (text) => text.includes(`ORCH-READY id=${serverId} ip=${ip}`),
      'the guest to be ready',
      180_000,
      500,
    );
    expect(fs.readFileSync(path.join(work, 'instances', serverId, 'domain.xml'), 'utf8')).not.toContain('<kernel>');
    await eventually(
      async () => succeeds('ip', 'netns', 'exec', gatewayNamespace(vlan), 'ping', '-c', '1', '-W', '1', ip),
      (ok) => ok,
      `a ping of ${ip}`,
      30_000,
      500,
    );

    await openstackJson(env, 'server', 'list'); // still answers with a real guest listed
    if (process.env.ORCH_TEST_AWS === '1') {
      // EC2's GetConsoleOutput reads the same serial console (awscli decodes its base64).
      const key = await createAccessKey(running, await running.login('admin', ADMIN_PASSWORD, 'admin'));
      const { Output } = await awsEc2<{ Output: string }>(
        ec2Endpoint(running),
        awsEnv(key),
        'get-console-output',
        '--instance-id',
        `i-${serverId.slice(5, 22)}`,
      );
      expect(Output).toContain(`ORCH-READY id=${serverId} ip=${ip}`);
    }
    await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', serverId], env, 180_000);
    expect(succeeds('virsh', '-c', URI, 'domstate', domainName(serverId))).toBe(false);
  }, 600_000);
});
