import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { domainName } from '../../src/infrastructure/libvirt/names';
import { gatewayNamespace } from '../../src/infrastructure/switch/ovs/ovs-switch';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp, unlimitAdminProject } from '../support/app';
import { reportChaos } from '../support/chaos-report';
import { eventually } from '../support/eventually';
import { GUEST_IMAGE_DIR } from '../support/guest-image';
import { describeWithVirt } from '../support/services';
import { run, succeeds } from '../support/shell';
import { removeVirtLeftovers } from '../support/virt-cleanup';

const URI = 'qemu:///system';
const GUESTS = 8;

const libvirtdPid = (): number | null => {
  const out = succeeds('pgrep', '-x', 'libvirtd') ? run('pgrep', '-x', 'libvirtd').trim() : '';
  return out ? Number(out.split('\n')[0]) : null;
};

/** Stops libvirtd (SIGTERM, as a package upgrade or an operator's restart does) and starts it again; the guests' QEMU processes live on. */
async function restartLibvirtd(): Promise<{ before: number; after: number; downMs: number }> {
  const before = libvirtdPid();
  if (before === null) throw new Error('libvirtd is not running');
  const stoppedAt = Date.now();
  process.kill(before, 'SIGTERM');
  await eventually(
    async () => libvirtdPid(),
    (pid) => pid === null,
    'libvirtd gone',
    30_000,
    100,
  );
  expect(succeeds('virsh', '-c', URI, 'list', '--name')).toBe(false); // really down
  await new Promise((r) => setTimeout(r, 2_000));
  run('libvirtd', '-d');
  await eventually(
    async () => succeeds('virsh', '-c', URI, 'list', '--name'),
    (ok) => ok,
    'libvirtd answering',
    30_000,
    100,
  );
  return { before, after: libvirtdPid() as number, downMs: Date.now() - stoppedAt };
}

/**
 * libvirtd restarted in the middle of a boot storm of real guests: the guests being defined and
 * started when it goes keep their work (the driver's calls retry), every guest ends active, and
 * the lifecycle watcher reconnects: a guest destroyed behind the orchestrator's back afterwards is
 * noticed from its lifecycle event alone (periodic reconciliation is off here).
 */
describeWithVirt('libvirtd restarted during a boot storm (embedded store, real guests)', () => {
  const tag = randomBytes(3).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-lvrestart-'));
  const bridge = `brl${tag}`;
  const pool = `olr${tag}`;
  let backing: Backing;
  let running: RunningApp;
  let admin: string;
  let vlan = 0;
  const launched: string[] = [];

  const get = (p: string) => running.http.get(p).set(bearer(admin));
  const post = (p: string, body: object = {}) => running.http.post(p).set(bearer(admin)).send(body);
  const states = async () => {
    const items = (await get('/v1/instances?limit=100')).body.items as Array<{ id: string; state: string; powerState: string; failure: unknown }>;
    return items.filter((i) => launched.includes(i.id));
  };

  beforeAll(async () => {
    backing = await createBacking('embedded', {
      ORCH_BLOCK_STORAGE: 'libvirt',
      ORCH_VOLUME_DIR: path.join(work, 'volumes'),
      ORCH_VOLUME_POOL: pool,
      ORCH_LIBVIRT_STATE_DIR: path.join(work, 'instances'),
      ORCH_OVS_BRIDGE: bridge,
      ORCH_VLAN_RANGE: '3800-3899',
      ORCH_RECONCILE_INTERVAL_MS: '3600000',
      ORCH_SPAWN_TIMEOUT_MS: '300000',
    });
    running = await startApp(backing);
    admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
    await unlimitAdminProject(running.http, admin);
    await post('/v1/hosts', { name: 'kvm-restart', driver: 'libvirt', uri: URI, vcpus: 16, ramMiB: 8192, diskGiB: 100 });
    await post('/v1/flavors', { name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await post('/v1/images', { name: 'busybox', os: 'linux', minDiskGiB: 1, source: GUEST_IMAGE_DIR });
    vlan = (await post('/v1/networks', { name: 'storm', cidr: '10.63.0.0/24' })).body.vlan;
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    removeVirtLeftovers({ instanceIds: launched, bridge, namespaces: vlan ? [gatewayNamespace(vlan)] : [], pool });
    await backing?.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('ends every guest active after a restart mid-storm, and still hears lifecycle events', async () => {
    const domainsBefore = new Set(run('virsh', '-c', URI, 'list', '--all', '--name').split('\n'));
    const accepted = await post('/v1/instances', {
      name: 'storm',
      flavor: 'tiny',
      image: 'busybox',
      networks: [{ network: 'storm' }],
      minCount: GUESTS,
      maxCount: GUESTS,
    });
    expect(accepted.status).toBe(202);
    launched.push(...accepted.body.instances.map((i: { id: string }) => i.id));

    // Restart while the storm is being made: some domains defined, not all, none booted yet if it can be caught so.
    const ours = () =>
      run('virsh', '-c', URI, 'list', '--all', '--name')
        .split('\n')
        .filter((name) => launched.some((id) => name === domainName(id))).length;
    const definedAtRestart = await eventually(
      async () => ours(),
      (n) => n >= 1,
      'the first domain defined',
      300_000,
      50,
    );
    const activeAtRestart = (await states()).filter((i) => i.state === 'active').length;
    expect(activeAtRestart).toBeLessThan(GUESTS);
    const restart = await restartLibvirtd();
    expect(restart.after).not.toBe(restart.before);
    const restartedAt = Date.now();

    const end = await eventually(states, (items) => items.every((i) => i.state === 'active' || i.state === 'error'), 'every guest settled', 600_000, 1_000);
    const recoverSeconds = (Date.now() - restartedAt) / 1000;
    const domains = run('virsh', '-c', URI, 'list', '--name');
    const notRunning = launched.filter((id) => !domains.includes(domainName(id)));

    // The watcher reconnected: a guest destroyed out of band is noticed without any periodic pass.
    const victim = end.find((i) => i.state === 'active')?.id;
    const noticed =
      victim !== undefined &&
      succeeds('virsh', '-c', URI, 'destroy', domainName(victim)) &&
      (await eventually(
        async () => (await get(`/v1/instances/${victim}`)).body.state,
        (state) => state === 'stopped',
        'the destroyed guest noticed',
        30_000,
        200,
      )
        .then(() => true)
        .catch(() => false));

    reportChaos({
      scenario: 'libvirtd restarted during a boot storm',
      load: `${GUESTS} real guests in one launch`,
      faults: `libvirtd SIGTERMed with ${definedAtRestart} of ${GUESTS} defined and ${activeAtRestart} active, back ${(restart.downMs / 1000).toFixed(1)} s later`,
      acknowledged: GUESTS,
      lost: end.filter((i) => i.state !== 'active').length + notRunning.length,
      orphans: run('virsh', '-c', URI, 'list', '--all', '--name')
        .split('\n')
        .filter((name) => name && !domainsBefore.has(name) && !launched.some((id) => name === domainName(id))).length,
      fiveXx: 0,
      recoverSeconds,
      notes: `lifecycle watcher ${noticed ? 'reconnected (a destroyed guest was noticed from its event)' : 'did NOT reconnect'}`,
    });
    expect(end.filter((i) => i.state !== 'active').map((i) => `${i.id} ${i.state} ${JSON.stringify(i.failure)}`)).toEqual([]);
    expect(notRunning).toEqual([]);
    expect(noticed).toBe(true);
  }, 900_000);
});
