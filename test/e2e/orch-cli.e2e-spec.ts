import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { api } from '../support/cluster-cloud';
import { orch, orchOnTerminal } from '../support/orch-cli';

type Row = { id: string; name: string; state: string };

/**
 * The first minutes of a new user, with real processes: the orchestrator started on an empty
 * embedded store (demo cloud on, generated password), and the built `orch` CLI run as a process
 * (and on a pseudo-terminal for its progress bars) with the commands the start-up log prints.
 */
describe('orch CLI against a demo cloud (real processes)', () => {
  let backing: ClusterBacking;
  let orchestrator: Orchestrator;
  let cliEnv: NodeJS.ProcessEnv;
  let next: string[];
  // The demo's own default for the simulated hosts' state (under the data directory), and a quick reconciler.
  const OWN_DEFAULTS = { ORCH_SIM_STATE_DIR: '', ORCH_RECONCILE_INTERVAL_MS: '300' };
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-cli-'));

  beforeAll(async () => {
    // No ORCH_BOOTSTRAP_PASSWORD: the password is generated and printed, as on a first `npm start`.
    backing = await createClusterBacking({ ORCH_DEMO: 'on', ORCH_BOOTSTRAP_PASSWORD: '', ORCH_SIM_LATENCY_MS: '50' });
    orchestrator = await startOrchestrator(backing, OWN_DEFAULTS);
    cliEnv = { ORCH_CLI_CONFIG: path.join(configDir, 'config.json'), ORCH_PROFILE: '', ORCH_PASSWORD: '' };
    const ready = orchestrator.log
      .join('')
      .split('\n')
      .filter((line) => line.includes('demo cloud ready'))
      .map((line) => JSON.parse(line) as { hosts: string[]; flavors: string[]; next: string[] });
    expect(ready).toHaveLength(1);
    next = ready[0].next;
  }, 240_000);

  afterAll(async () => {
    await orchestrator?.stop('SIGKILL');
    await backing?.destroy();
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  /** The words of a printed `npx orch ...` command (the password is quoted with '). */
  const words = (command: string) => (command.match(/'[^']*'|\S+/g) as string[]).map((w) => w.replace(/^'|'$/g, '')).slice(2);

  it('logs in with the command the start-up log prints, into a profile file only its owner can read', async () => {
    const printed = words(next[0]).map((w) => (w.startsWith('http://') ? orchestrator.url : w));
    const login = await orch(printed, cliEnv);
    expect(login).toMatchObject({ code: 0 });
    expect(login.stdout).toContain('logged in');
    expect(fs.statSync(cliEnv.ORCH_CLI_CONFIG as string).mode & 0o777).toBe(0o600);
    const profiles = JSON.parse((await orch(['profiles', '-o', 'json'], cliEnv)).stdout) as Array<{ name: string; current: boolean }>;
    expect(profiles).toEqual([expect.objectContaining({ name: 'default', current: true })]);
  });

  it('finds the demo cloud made of ordinary events: three hosts, the m1 flavors, an image, a private network', async () => {
    const list = async (kind: string) => JSON.parse((await orch(['ls', kind, '-o', 'json'], cliEnv)).stdout) as Array<{ name: string }>;
    expect((await list('hosts')).map((h) => h.name).sort()).toEqual(['demo-host-1', 'demo-host-2', 'demo-host-3']);
    expect((await list('flavors')).map((f) => f.name).sort()).toEqual(['m1.large', 'm1.medium', 'm1.small', 'm1.tiny', 'm1.xlarge']);
    expect((await list('images')).map((i) => i.name)).toEqual(['cirros']);
    expect((await list('networks')).map((n) => n.name)).toEqual(['private']);
    const registered = await orch(
      ['events', 'tail', '--after', '0', '--type', 'HostRegistered,FlavorCreated,ImageRegistered,NetworkCreated', '--limit', '10', '-o', 'json'],
      cliEnv,
    );
    const types = registered.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types.sort()).toEqual([...Array(5).fill('FlavorCreated'), ...Array(3).fill('HostRegistered'), 'ImageRegistered', 'NetworkCreated'].sort());
  });

  it('launches 30 instances with the printed command, a live bar per state on a terminal until all are active', async () => {
    const launch = await orchOnTerminal(
      [
        ...words(next[1])
          .map((w) => (w === 'demo' ? 'web' : w))
          .filter((w) => w !== '--wait'),
        '--count',
        '30',
      ],
      cliEnv,
    );
    expect({ code: launch.code, screen: launch.code === 0 ? '' : launch.screen }).toEqual({ code: 0, screen: '' });
    // The bars are redrawn in place as events arrive; the last drawing has every instance active.
    // Drawn live: with none active, with some active, and at the end with all of them.
    expect(launch.screen).toMatch(/active\s+\|[^|]*\| 0\/30/);
    expect(launch.screen).toMatch(/active\s+\|[^|]*\| ([1-9]|1\d|2\d)\/30/);
    expect(launch.screen).toMatch(/active\s+\|[^|]*\| 30\/30/);
    expect(launch.screen).toMatch(/spawning\s+\|[^|]*\| ([1-9]|1\d|2\d|30)\/30/);
    const instances = JSON.parse((await orch(['ls', 'instances', '-o', 'json'], cliEnv)).stdout) as Row[];
    expect(instances.filter((i) => i.name.startsWith('web-') && i.state === 'active')).toHaveLength(30);
  });

  it('reports progress as lines when not on a terminal, and the instances as JSON on stdout for scripts', async () => {
    const launch = await orch(['launch', 'batch', '--flavor', 'm1.tiny', '--image', 'cirros', '--count', '5', '-o', 'json'], cliEnv);
    expect(launch.code).toBe(0);
    const rows = JSON.parse(launch.stdout) as Row[];
    expect(rows.map((r) => r.state)).toEqual(Array(5).fill('active'));
    expect(launch.stderr.trim().split('\n').pop()).toBe('launch: pending 0, scheduled 0, networked 0, spawning 0, active 5, error 0 (of 5)');
  });

  it('stops with --wait, then shows the instance stopped now and active as of before the stop, and its history', async () => {
    const admin = api(orchestrator.url, token());
    const before = (await admin.get('/v1/events/head')).body.position as number;
    const stop = await orch(['stop', 'web-7', '--wait'], cliEnv);
    expect(stop).toMatchObject({ code: 0 });
    // --wait returned once the stop was recorded: nothing to poll for.
    expect((JSON.parse((await orch(['show', 'instance', 'web-7', '-o', 'json'], cliEnv)).stdout) as Row).state).toBe('stopped');
    const asOf = await orch(['show', 'instance', 'web-7', '--as-of', String(before), '-o', 'json'], cliEnv);
    expect((JSON.parse(asOf.stdout) as Row).state).toBe('active');
    const history = JSON.parse((await orch(['history', 'instance', 'web-7', '-o', 'json'], cliEnv)).stdout) as Array<{ type: string }>;
    expect(history.map((e) => e.type)).toEqual(expect.arrayContaining(['InstanceScheduled', 'InstanceActivated', 'InstanceStopRequested', 'InstanceStopped']));
    expect(history.map((e) => e.type).indexOf('InstanceStopped')).toBe(history.length - 1);
  });

  it('removes with --wait, after which the instance is not found (exit 3)', async () => {
    expect(await orch(['rm', 'web-8', '--wait'], cliEnv)).toMatchObject({ code: 0 });
    const gone = await orch(['show', 'instance', 'web-8'], cliEnv);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/^orch: no instance "web-8"/);
  });

  it('follows the log from now and verifies the audit chain', async () => {
    const tail = orch(['events', 'tail', '--type', 'InstanceRebooted', '--limit', '1', '-o', 'json'], cliEnv);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await orch(['reboot', 'web-9'], cliEnv)).toMatchObject({ code: 0 });
    const followed = await tail;
    expect(followed.code).toBe(0);
    expect(JSON.parse(followed.stdout)).toMatchObject({ type: 'InstanceRebooted' });
    const verify = await orch(['audit', 'verify', '-o', 'json'], cliEnv);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });

  it('ends with exit codes a script can rely on, and one line on stderr', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, number]> = [
      [['ls', 'bogus'], cliEnv, 2],
      [['launch', 'x', '--flavor', 'm1.tiny', '--image', 'cirros', '--count', '0'], cliEnv, 2],
      [['ls', 'instances'], { ...cliEnv, ORCH_CLI_CONFIG: path.join(configDir, 'none.json') }, 4],
      [['login', '--url', orchestrator.url, '--user', 'admin', '--password', 'wrong-password', '--profile', 'bad'], cliEnv, 4],
      [['show', 'flavor', 'm9.huge'], cliEnv, 3],
      // 1,000 m1.tiny is beyond the admin project's demo quota of 500 instances.
      [['launch', 'big', '--flavor', 'm1.tiny', '--image', 'cirros', '--count', '1000'], cliEnv, 5],
      [['login', '--url', 'http://127.0.0.1:9', '--user', 'admin', '--password', 'x', '--profile', 'down'], cliEnv, 6],
      [['launch', 'slow', '--flavor', 'm1.tiny', '--image', 'cirros', '--count', '20', '--timeout', '0.05'], cliEnv, 7],
    ];
    for (const [args, env, code] of cases) {
      const run = await orch(args, env);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(
        run.stderr
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('orch: ') || line.startsWith('error: ')),
      ).toHaveLength(1);
    }
  });

  it('keeps several profiles and uses the one asked for', async () => {
    const password = words(next[0])[words(next[0]).indexOf('--password') + 1];
    expect(await orch(['login', '--url', orchestrator.url, '--user', 'admin', '--profile', 'second'], cliEnv, `${password}\n`)).toMatchObject({ code: 0 });
    const profiles = JSON.parse((await orch(['profiles', '-o', 'json'], cliEnv)).stdout) as Array<{ name: string; current: boolean }>;
    expect(profiles.map((p) => [p.name, p.current])).toEqual([
      ['default', false],
      ['second', true],
    ]);
    expect(await orch(['logout', '--profile', 'second'], cliEnv)).toMatchObject({ code: 0 });
    expect((await orch(['ls', 'hosts', '--profile', 'second'], cliEnv)).code).toBe(4);
    expect((await orch(['ls', 'hosts', '--profile', 'default'], cliEnv)).code).toBe(0);
  });

  it('replays the read models from the log on the machine holding the store, with progress, and finds them equal', async () => {
    const replay = await orch(['replay'], { ...cliEnv, ...backing.env, ...OWN_DEFAULTS, ORCH_LOG_LEVEL: 'info' });
    expect({ code: replay.code, stderr: replay.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/replay: (\d+) of \1 events\n$/) });
    expect(replay.stdout).toMatch(/replayed \d+ events/);
    expect(replay.stdout).toContain('read models equal their replay');
  }, 120_000);

  it('seeds the demo once: a restart adds nothing, and the demo instances are still active', async () => {
    const admin = api(orchestrator.url, token());
    const head = (await admin.get('/v1/events/head')).body.position as number;
    await orchestrator.stop('SIGTERM');
    orchestrator = await startOrchestrator(backing, OWN_DEFAULTS, Number(new URL(orchestrator.url).port));
    expect(orchestrator.log.join('')).not.toContain('demo cloud ready');
    // Several reconciler passes: a guest missing from its host would be recorded lost (state error).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const instances = JSON.parse((await orch(['ls', 'instances', '-o', 'json'], cliEnv)).stdout) as Row[];
    expect(instances.length).toBeGreaterThanOrEqual(30);
    expect(instances.filter((i) => i.state !== 'active' && i.state !== 'stopped')).toEqual([]);
    const hosts = JSON.parse((await orch(['ls', 'hosts', '-o', 'json'], cliEnv)).stdout) as unknown[];
    expect(hosts).toHaveLength(3);
    const after = await api(orchestrator.url, token()).get(`/v1/events?after=${head}&type=HostRegistered,FlavorCreated,NetworkCreated`);
    expect(after.body.items).toEqual([]);
  });

  function token(): string {
    const content = JSON.parse(fs.readFileSync(cliEnv.ORCH_CLI_CONFIG as string, 'utf8')) as { profiles: Record<string, { token: string }> };
    return content.profiles.default.token;
  }
});
