import { run, succeeds } from '../support/shell';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createHttpApp } from '../../src/http-app';
import { loadConfig } from '../../src/infrastructure/config/config';
import { domainName } from '../../src/infrastructure/libvirt/names';
import { routerNamespace } from '../../src/infrastructure/switch/ovs/ovs-routers';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { GUEST_IMAGE_DIR } from '../support/guest-image';

export type NatFigures = { msToFirstPacket: number[]; msToSilence: number[] } | { skipped: string };

const URI = 'qemu:///system';
const EXTERNAL_VLAN = 3691;
const PASSWORD = 'bench-password-123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * bench:openstack's NAT part, on this machine's libvirt and Open vSwitch: one real guest behind a
 * router to `public`; `rounds` times, its floating IP is associated through Neutron
 * (`PUT /floatingips/{id}` with the port) and a host on the external network pings the address
 * every ~50 ms: the time from the request to the first echo reply through NAT; then disassociated,
 * and the time until it no longer answers.
 */
export async function natFigures(rounds: number): Promise<NatFigures> {
  if (!succeeds('virsh', '-c', URI, 'version') || !succeeds('ovs-vsctl', 'show') || !fs.existsSync(path.join(GUEST_IMAGE_DIR, 'vmlinuz'))) {
    return { skipped: 'libvirt, Open vSwitch or the guest image is missing (scripts/ensure-virt.sh, scripts/build-guest-image.sh)' };
  }
  const tag = randomBytes(3).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bench-nat-'));
  const bridge = `brb${tag}`;
  const upstream = `orch-ub${tag}`;
  const config = loadConfig({
    ORCH_STORE: 'embedded',
    ORCH_DATA_DIR: path.join(work, 'data'),
    ORCH_BOOTSTRAP_PASSWORD: PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_GRPC_PORT: 'off',
    ORCH_BLOCK_STORAGE: 'libvirt',
    ORCH_VOLUME_DIR: path.join(work, 'volumes'),
    ORCH_VOLUME_POOL: `obn${tag}`,
    ORCH_LIBVIRT_STATE_DIR: path.join(work, 'instances'),
    ORCH_OVS_BRIDGE: bridge,
    ORCH_VLAN_RANGE: '3500-3599',
    ORCH_EXTERNAL_VLAN: String(EXTERNAL_VLAN),
    ORCH_SPAWN_TIMEOUT_MS: '180000',
  });
  const app = await createHttpApp(config, new JsonLogger('warn', () => undefined));
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  let instanceId = '';
  let routerId = '';
  try {
    const token = (await http.post('/v1/auth/tokens').send({ username: 'admin', password: PASSWORD, project: 'admin' })).body.token as string;
    const auth = { Authorization: `Bearer ${token}` };
    const neutron = { 'X-Auth-Token': token };
    await http.post('/v1/hosts').set(auth).send({ name: 'kvm1', driver: 'libvirt', uri: URI, vcpus: 2, ramMiB: 4096, diskGiB: 50 });
    await http.post('/v1/flavors').set(auth).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await http.post('/v1/images').set(auth).send({ name: 'busybox', os: 'linux', minDiskGiB: 1, source: GUEST_IMAGE_DIR });
    run('ovs-vsctl', '--may-exist', 'add-br', bridge, '--', 'set', 'bridge', bridge, 'datapath_type=netdev');
    run('ovs-vsctl', 'add-port', bridge, `up${tag}`, `tag=${EXTERNAL_VLAN}`, '--', 'set', 'Interface', `up${tag}`, 'type=internal');
    run('ip', 'netns', 'add', upstream);
    run('ip', 'link', 'set', `up${tag}`, 'netns', upstream);
    run('ip', '-n', upstream, 'addr', 'add', '198.51.100.1/24', 'dev', `up${tag}`);
    run('ip', '-n', upstream, 'link', 'set', `up${tag}`, 'up');
    const network = (await http.post('/v1/networks').set(auth).send({ name: 'bench', cidr: '10.90.0.0/24' })).body;
    if (!network.subnets?.length) throw new Error(`network: ${JSON.stringify(network)}`);
    routerId = (await http.post('/v1/routers').set(auth).send({ name: 'edge' })).body.id;
    await http.post(`/v1/routers/${routerId}/interfaces`).set(auth).send({ subnetId: network.subnets[0].subnetId });
    await http.put(`/v1/routers/${routerId}/gateway`).set(auth).send({ network: 'public' });
    const group = (
      await http
        .post('/v1/security-groups')
        .set(auth)
        .send({ name: 'icmp', rules: [{ direction: 'ingress', protocol: 'icmp', cidr: '0.0.0.0/0' }] })
    ).body;
    const launched = (
      await http
        .post('/v1/instances')
        .set(auth)
        .send({ name: 'nat', flavor: 'tiny', image: 'busybox', networks: [{ network: network.id }], securityGroups: [group.id] })
    ).body;
    instanceId = launched.instances[0].id;
    let instance = (await http.get(`/v1/instances/${instanceId}`).set(auth)).body;
    for (let i = 0; i < 900 && instance.state !== 'active' && instance.state !== 'error'; i++) {
      await sleep(200);
      instance = (await http.get(`/v1/instances/${instanceId}`).set(auth)).body;
    }
    if (instance.state !== 'active') throw new Error(`the guest did not become active: ${JSON.stringify(instance)}`);
    const portId = instance.addresses[0].portId as string;
    const fip = (
      await http
        .post('/network/v2.0/floatingips')
        .set(neutron)
        .send({ floatingip: { floating_network_id: 'net-external' } })
    ).body.floatingip;
    const answers = () => succeeds('ip', 'netns', 'exec', upstream, 'ping', '-c', '1', '-W', '0.05', fip.floating_ip_address);
    const figures = { msToFirstPacket: [] as number[], msToSilence: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      let started = process.hrtime.bigint();
      await http
        .put(`/network/v2.0/floatingips/${fip.id}`)
        .set(neutron)
        .send({ floatingip: { port_id: portId } });
      while (!answers()) if (Number(process.hrtime.bigint() - started) > 60e9) throw new Error('no answer through NAT within 60 s');
      figures.msToFirstPacket.push(Number(process.hrtime.bigint() - started) / 1e6);
      started = process.hrtime.bigint();
      await http
        .put(`/network/v2.0/floatingips/${fip.id}`)
        .set(neutron)
        .send({ floatingip: { port_id: null } });
      while (answers()) if (Number(process.hrtime.bigint() - started) > 60e9) throw new Error('still answering 60 s after the disassociation');
      figures.msToSilence.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return figures;
  } finally {
    await app.close();
    if (instanceId) for (const verb of ['destroy', 'undefine']) succeeds('virsh', '-c', URI, verb, domainName(instanceId));
    succeeds('ovs-vsctl', '--if-exists', 'del-br', bridge);
    for (const ns of [upstream, ...(routerId ? [routerNamespace(routerId)] : []), 'orch-gw3500']) succeeds('ip', 'netns', 'delete', ns);
    for (const verb of ['pool-destroy', 'pool-undefine']) succeeds('virsh', '-c', URI, verb, `obn${tag}`);
    fs.rmSync(work, { recursive: true, force: true });
  }
}
