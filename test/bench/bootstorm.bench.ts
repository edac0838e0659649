/**
 * npm run bench:bootstorm -- --count N (default 40, the number at which Eucalyptus timed out):
 * N real guests (the busybox test image, QEMU/TCG, 256 MiB) launched in one API request on this
 * machine's libvirt, until every one is running (ready marker seen) and answers a ping from its
 * network's gateway. Prints the POST latency, the time until all are active and until all are
 * pingable, and the guests' memory (QEMU resident set, per guest). Beside it the floor: the same
 * N domains (the same domain XML, image, overlays and config drives, made beforehand) defined and
 * started with virsh alone, until their ready markers appear. Last line:
 * `guests=<N> seconds=<t> ratio_to_virsh=<r>` (t: until all pingable; r = t / floor).
 * Needs root, libvirt and Open vSwitch (the script runs scripts/ensure-virt.sh first).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { DomainSpec } from '../../src/application/compute/ports/hypervisor-driver.port';
import { createHttpApp } from '../../src/http-app';
import { loadConfig } from '../../src/infrastructure/config/config';
import { writeConfigDrive } from '../../src/infrastructure/hypervisor/libvirt/config-drive';
import { domainXml } from '../../src/infrastructure/hypervisor/libvirt/domain-xml';
import { domainName } from '../../src/infrastructure/libvirt/names';
import { JsonLogger } from '../../src/infrastructure/logging/json-logger';
import { gatewayNamespace } from '../../src/infrastructure/switch/ovs/ovs-switch';
import { GUEST_IMAGE_DIR } from '../support/guest-image';
import { unlimitAdminProject } from '../support/app';

const run = promisify(execFile);
const URI = 'qemu:///system';
const PASSWORD = 'bootstorm-password';
const count = Number(process.argv[process.argv.indexOf('--count') + 1] ?? 40) || 40;
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory (MiB) of the QEMU processes of these domains, summed. */
function qemuRssMiB(names: readonly string[]): number {
  let kib = 0;
  for (const name of names) {
    const pidFile = `/run/libvirt/qemu/${name}.pid`;
    if (!fs.existsSync(pidFile)) continue;
    const status = fs.readFileSync(`/proc/${fs.readFileSync(pidFile, 'utf8').trim()}/status`, 'utf8');
    kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kib / 1024;
}

async function destroyAll(names: readonly string[]): Promise<void> {
  for (const name of names) {
    await run('virsh', ['-c', URI, 'destroy', name]).catch(() => undefined);
    await run('virsh', ['-c', URI, 'undefine', name]).catch(() => undefined);
  }
}

const FLOOR_TIMEOUT_MS = 20 * 60_000;

/** The floor: N domains from the same XML and image, defined and started by virsh, until ready. */
async function floor(work: string): Promise<{ seconds: number; rssPerGuestMiB: number }> {
  const dir = path.join(work, 'floor');
  const specs: DomainSpec[] = Array.from({ length: count }, (_, i) => ({
    instanceId: `floor-${i}`,
    hostname: `floor-${i}`,
    vcpus: 1,
    ramMiB: 256,
    imageSource: GUEST_IMAGE_DIR,
    rootVolumeId: `vol-floor-${i}`,
    nics: [
      {
        portId: `port-floor-${i}`,
        mac: `fa:16:3e:99:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
        ip: `10.99.${i >> 8}.${(i & 255) + 2}`,
        prefix: 16,
        gateway: '10.99.0.1',
        vlan: 99,
      },
    ],
    sshPublicKey: null,
    userData: null,
  }));
  const xmls: string[] = [];
  for (const spec of specs) {
    const d = path.join(dir, spec.instanceId);
    fs.mkdirSync(d, { recursive: true });
    const rootDisk = path.join(d, 'root.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', path.join(GUEST_IMAGE_DIR, 'base.qcow2'), '-F', 'qcow2', rootDisk, '1G']);
    await writeConfigDrive(spec, path.join(d, 'config.iso'));
    const xml = path.join(d, 'domain.xml');
    fs.writeFileSync(
      xml,
      domainXml(
        spec,
        {
          kernel: { vmlinuz: path.join(GUEST_IMAGE_DIR, 'vmlinuz'), initrd: path.join(GUEST_IMAGE_DIR, 'initrd.img') },
          rootDisk,
          configDrive: path.join(d, 'config.iso'),
          consoleLog: path.join(d, 'console.log'),
        },
        'qemu',
      ),
    );
    xmls.push(xml);
  }
  const names = specs.map((s) => domainName(s.instanceId));
  await destroyAll(names);
  const started = process.hrtime.bigint();
  await Promise.all(
    xmls.map(async (xml, i) => {
      await run('virsh', ['-c', URI, 'define', xml]);
      await run('virsh', ['-c', URI, 'start', names[i]]);
    }),
  );
  const ready = (i: number) => {
    try {
      return fs.readFileSync(path.join(dir, specs[i].instanceId, 'console.log'), 'latin1').includes(`ORCH-READY id=${specs[i].instanceId} `);
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + FLOOR_TIMEOUT_MS;
  while (!specs.every((_, i) => ready(i))) {
    if (Date.now() > deadline) {
      const stuck = specs.filter((_, i) => !ready(i)).map((s) => s.instanceId);
      await destroyAll(names);
      throw new Error(`virsh floor: ${stuck.length} guest(s) never printed their ready marker: ${stuck.join(', ')}`);
    }
    await sleep(200);
  }
  const took = seconds(started);
  const rss = qemuRssMiB(names) / count;
  await destroyAll(names);
  return { seconds: took, rssPerGuestMiB: rss };
}

async function orchestrator(work: string) {
  const config = loadConfig({
    ORCH_DATA_DIR: path.join(work, 'data'),
    ORCH_BOOTSTRAP_PASSWORD: PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_LOG_LEVEL: 'error',
    ORCH_BLOCK_STORAGE: 'libvirt',
    ORCH_VOLUME_DIR: path.join(work, 'volumes'),
    ORCH_VOLUME_POOL: `obs${process.pid % 100000}`,
    ORCH_LIBVIRT_STATE_DIR: path.join(work, 'instances'),
    ORCH_OVS_BRIDGE: `brbs${process.pid % 100000}`,
    ORCH_VLAN_RANGE: '3900-3909',
    ORCH_SPAWN_TIMEOUT_MS: '900000',
    ORCH_RECONCILE_INTERVAL_MS: '3600000',
  });
  const app = await createHttpApp(config, new JsonLogger('error'));
  await app.init();
  const http = request(app.getHttpServer());
  let ids: string[] = [];
  let vlan = 0;
  try {
    const token = (await http.post('/v1/auth/tokens').send({ username: 'admin', password: PASSWORD, project: 'admin' })).body.token;
    const auth = { Authorization: `Bearer ${token}` };
    await unlimitAdminProject(http, token);
    await http.post('/v1/flavors').set(auth).send({ name: 'guest', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await http.post('/v1/images').set(auth).send({ name: 'busybox', os: 'linux', minDiskGiB: 1, source: GUEST_IMAGE_DIR });
    // Capacity for N guests at Nova's overcommit ratios (16 vCPUs per core, 1.5 x RAM).
    const vcpus = Math.max(os.cpus().length, Math.ceil(count / 16));
    await http
      .post('/v1/hosts')
      .set(auth)
      .send({ name: 'local', driver: 'libvirt', uri: URI, vcpus, ramMiB: Math.floor(os.totalmem() / 2 ** 20), diskGiB: 1000 });
    const network = (await http.post('/v1/networks').set(auth).send({ name: 'storm', cidr: '10.98.0.0/16' })).body;
    vlan = network.vlan;

    const started = process.hrtime.bigint();
    const post = await http
      .post('/v1/instances')
      .set(auth)
      .send({ name: 'storm', flavor: 'guest', image: 'busybox', networks: [{ network: 'storm' }], minCount: count, maxCount: count });
    const postMs = seconds(started) * 1000;
    if (post.status !== 202) throw new Error(`launch refused: ${post.status} ${JSON.stringify(post.body)}`);
    ids = post.body.instances.map((i: { id: string }) => i.id);
    for (;;) {
      const op = (await http.get(`/v1/operations/${post.body.operation.id}`).set(auth)).body;
      if (op.status !== 'running') {
        if (op.status !== 'succeeded') throw new Error(`launch ended ${op.status}: ${JSON.stringify(op.errors.slice(0, 3))}`);
        break;
      }
      await sleep(200);
    }
    const activeSeconds = seconds(started);
    const addresses: string[] = [];
    for (const id of ids) addresses.push((await http.get(`/v1/instances/${id}`).set(auth)).body.addresses[0].ip);
    const pingable = new Set<string>();
    while (pingable.size < addresses.length) {
      await Promise.all(
        addresses
          .filter((ip) => !pingable.has(ip))
          .map((ip) =>
            run('ip', ['netns', 'exec', gatewayNamespace(vlan), 'ping', '-c', '1', '-W', '1', ip]).then(
              () => pingable.add(ip),
              () => undefined,
            ),
          ),
      );
    }
    const pingableSeconds = seconds(started);
    const rss = qemuRssMiB(ids.map(domainName)) / count;
    for (const id of ids) await http.delete(`/v1/instances/${id}`).set(auth);
    for (;;) {
      const left = (await run('virsh', ['-c', URI, 'list', '--all', '--name'])).stdout.split('\n').filter((n) => ids.some((id) => n.trim() === domainName(id)));
      if (left.length === 0) break;
      await sleep(500);
    }
    return { postMs, activeSeconds, pingableSeconds, rssPerGuestMiB: rss };
  } finally {
    await app.close();
    await destroyAll(ids.map(domainName));
    await run('ovs-vsctl', ['--if-exists', 'del-br', config.ovsBridge]).catch(() => undefined);
    if (vlan) await run('ip', ['netns', 'delete', gatewayNamespace(vlan)]).catch(() => undefined);
    await run('virsh', ['-c', URI, 'pool-destroy', config.volumePool]).catch(() => undefined);
    await run('virsh', ['-c', URI, 'pool-undefine', config.volumePool]).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-bootstorm-'));
  try {
    const base = await floor(work);
    process.stdout.write(
      `\nvirsh alone: ${count} guests defined and started until ready in ${base.seconds.toFixed(1)} s; ${base.rssPerGuestMiB.toFixed(0)} MiB per guest\n`,
    );
    const o = await orchestrator(work);
    const ratio = o.pingableSeconds / base.seconds;
    process.stdout.write(
      `orchestrator: POST of ${count} answered in ${o.postMs.toFixed(0)} ms; all active (ready) after ${o.activeSeconds.toFixed(1)} s, all pingable after ${o.pingableSeconds.toFixed(1)} s; ${o.rssPerGuestMiB.toFixed(0)} MiB per guest\n`,
    );
    process.stdout.write(`${JSON.stringify({ benchmark: 'bootstorm', guests: count, floor: base, orchestrator: o, ratio })}\n`);
    process.stdout.write(`guests=${count} seconds=${o.pingableSeconds.toFixed(1)} ratio_to_virsh=${ratio.toFixed(2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exit(1);
});
