import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { unlimitAdminProject } from '../support/app';
import { readSimulatedState } from '../support/simulated-state';
import { freePort } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');
const PASSWORD = 'crash-test-password';

/**
 * The orchestrator as a real process, killed with SIGKILL at random points while it provisions
 * 200 instances, and started again each time. Its simulated hosts keep their actual state in a
 * file, as real hosts would keep theirs. In the end every instance is active or in error, and
 * nothing is orphaned: the hosts hold exactly the domains, ports and volumes of the active
 * instances, and claims, addresses and quota match them.
 */
describe('Crash recovery (embedded, real process kills)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-crash-'));
  const stateDir = path.join(dataDir, 'simulated-hosts');
  let child: ChildProcess | null = null;
  let port = 0;
  const log: string[] = [];

  const start = async () => {
    port = await freePort();
    child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_TRANSPILE_ONLY: 'true',
        ORCH_DATA_DIR: dataDir,
        ORCH_HTTP_PORT: String(port),
        ORCH_BOOTSTRAP_PASSWORD: PASSWORD,
        ORCH_SIM_STATE_DIR: stateDir,
        ORCH_SIM_LATENCY_MS: '3',
        ORCH_RECONCILE_INTERVAL_MS: '3600000',
        ORCH_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    await eventually(
      async () => (await request(`http://127.0.0.1:${port}`).get('/readyz')).status,
      (s) => s === 200,
      'the orchestrator to start',
      60_000,
    );
  };
  const kill = async () => {
    const dying = child;
    child = null;
    if (!dying || dying.exitCode !== null) return;
    const exited = new Promise((resolve) => dying.once('exit', resolve));
    dying.kill('SIGKILL');
    await exited;
  };
  const http = () => request(`http://127.0.0.1:${port}`);

  afterAll(async () => {
    await kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends every instance active or in error with nothing orphaned, through three SIGKILLs', async () => {
    await start();
    const token = (await http().post('/v1/auth/tokens').send({ username: 'admin', password: PASSWORD, project: 'admin' })).body.token;
    const auth = { Authorization: `Bearer ${token}` };
    const projectId = await unlimitAdminProject(http(), token);
    await http().post('/v1/flavors').set(auth).send({ name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
    await http().post('/v1/images').set(auth).send({ name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
    for (let h = 0; h < 4; h++)
      await http()
        .post('/v1/hosts')
        .set(auth)
        .send({ name: `crash-${h}`, driver: 'simulated', vcpus: 8, ramMiB: 32768, diskGiB: 500 });
    await http().post('/v1/networks').set(auth).send({ name: 'net', cidr: '10.9.0.0/23' });

    const launch = await http()
      .post('/v1/instances')
      .set(auth)
      .send({ name: 'c', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }], minCount: 200, maxCount: 200 });
    expect(launch.status).toBe(202);
    for (let k = 0; k < 3; k++) {
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 2000)));
      await kill();
      await start();
    }
    const op = await eventually(
      async () => (await http().get(`/v1/operations/${launch.body.operation.id}`).set(auth)).body,
      (o) => o.status && o.status !== 'running',
      'the launch to finish',
      150_000,
    );
    expect(['succeeded', 'failed']).toContain(op.status);

    const instances: Array<{ id: string; state: string; released: boolean; addresses: Array<{ portId: string }>; volumes: string[] }> = (
      await http().get('/v1/instances?limit=1000').set(auth)
    ).body.items;
    expect(instances).toHaveLength(200);
    expect(instances.every((i) => i.state === 'active' || (i.state === 'error' && i.released))).toBe(true);
    const active = instances.filter((i) => i.state === 'active');

    const actual = readSimulatedState(stateDir);
    const domains = Object.values(actual.hypervisors).flat();
    expect(domains.map((d) => d.spec.instanceId).sort()).toEqual(active.map((i) => i.id).sort());
    expect(domains.every((d) => d.power === 'running')).toBe(true);
    const ports = Object.values(actual.switches).flatMap((s) => s.ports.map((p) => p.portId));
    expect(ports.sort()).toEqual(active.flatMap((i) => i.addresses.map((a) => a.portId)).sort());
    expect(actual.storage.volumes.map((v) => v.volumeId).sort()).toEqual(active.flatMap((i) => i.volumes).sort());

    const hosts = (await http().get('/v1/hosts').set(auth)).body.items as Array<{ used: { vcpus: number } }>;
    const held = {
      claimedVcpus: hosts.reduce((sum, h) => sum + h.used.vcpus, 0),
      addresses: (await http().get('/v1/networks/net').set(auth)).body.usedIps,
      ports: (await http().get('/v1/ports?limit=1000').set(auth)).body.items.length,
      quota: (await http().get(`/v1/projects/${projectId}/usage`).set(auth)).body.instances.used,
    };
    const n = active.length;
    if (held.claimedVcpus !== n) {
      // Name the leaked claims: net claims per instance and host, from the audit log.
      const net = new Map<string, number>();
      for (let after = 0; ;) {
        const page = (await http().get(`/v1/events?limit=1000&after=${after}&type=ResourcesClaimed,ClaimReleased`).set(auth)).body.items;
        if (page.length === 0) break;
        for (const e of page)
          net.set(`${e.data.claimId}@${e.data.hostId}`, (net.get(`${e.data.claimId}@${e.data.hostId}`) ?? 0) + (e.type === 'ResourcesClaimed' ? 1 : -1));
        after = page[page.length - 1].position;
      }
      const activeIds = new Set(active.map((i) => i.id));
      const byInstance = new Map<string, string[]>();
      for (const [key, count] of net) if (count > 0) byInstance.set(key.split('@')[0], [...(byInstance.get(key.split('@')[0]) ?? []), key.split('@')[1]]);
      const leaks = [...byInstance].filter(([id, hosts]) => hosts.length > 1 || !activeIds.has(id));
      for (const [id] of leaks) {
        const events = (await http().get(`/v1/instances/${id}/events`).set(auth)).body.items.map(
          (e: { type: string; data: { hostId?: string } }) => `${e.type}${e.data.hostId ? '@' + e.data.hostId.slice(-4) : ''}`,
        );
        process.stdout.write(`LEAK ${id} claims on ${JSON.stringify(byInstance.get(id)?.map((h) => h.slice(-4)))}: ${events.join(' ')}\n`);
        const claimEvents = (await http().get(`/v1/events?limit=1000&type=ResourcesClaimed&after=0`).set(auth)).body.items.filter(
          (e: { data: { claimId: string } }) => e.data.claimId === id,
        );
        const scheduled = (await http().get(`/v1/instances/${id}/events`).set(auth)).body.items.find((e: { type: string }) => e.type === 'InstanceScheduled');
        process.stdout.write(
          log
            .join('')
            .split('\n')
            .filter((l) => l.includes(id))
            .slice(0, 6)
            .map((l) => l.slice(0, 200))
            .join('\n') + '\n',
        );
        process.stdout.write(
          `  claims at ${JSON.stringify(claimEvents.map((e: { position: number; metadata: { at: string } }) => [e.position, e.metadata.at]))} scheduled at ${scheduled.position} ${scheduled.metadata.at}\n`,
        );
      }
    }
    if (held.claimedVcpus !== n)
      process.stdout.write(
        log
          .join('')
          .split('\n')
          .filter((l) => l.includes('warn') || l.includes('error'))
          .slice(0, 10)
          .join('\n') + '\n',
      );
    expect(held).toEqual({ claimedVcpus: n, addresses: n, ports: n, quota: n });
  }, 300_000);
});
