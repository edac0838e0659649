import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, addSimulatedHosts, api, prepareSimulatedCloud } from '../support/cluster-cloud';
import { eventually } from '../support/eventually';
import { REPO_ROOT, freePort } from '../support/processes';
import { describeWithPrometheus } from '../support/services';

const RULES_DIR = path.join(REPO_ROOT, 'deploy/prometheus');

/**
 * The shipped Prometheus configuration and rules: checked and unit tested with Debian's promtool,
 * then loaded into a real Prometheus server that scrapes a running orchestrator (a real process)
 * in which a launch failed and a rate limit refused requests.
 */
describeWithPrometheus('Prometheus scrape configuration and rules (real prometheus and promtool)', () => {
  let backing: ClusterBacking;
  let orchestrator: Orchestrator;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let admin: Api;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-prometheus-'));

  beforeAll(async () => {
    // A tight per-user limit, so that a burst of requests is refused (429) and counted.
    backing = await createClusterBacking({ ORCH_RATE_LIMIT_USER: '5:20' });
    orchestrator = await startOrchestrator(backing);
    const token = (await api(orchestrator.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token as string;
    admin = api(orchestrator.url, token);
    await prepareSimulatedCloud(admin, 0);
    await addSimulatedHosts(admin, 'small', 1, { vcpus: 1, ramMiB: 512, diskGiB: 1 });
    // The shipped configuration, pointed at this orchestrator and scraping every second.
    const config = fs
      .readFileSync(path.join(RULES_DIR, 'prometheus.yml'), 'utf8')
      .replace(/scrape_interval: 15s/, 'scrape_interval: 1s')
      .replace(/evaluation_interval: 15s/, 'evaluation_interval: 1s')
      .replace("'127.0.0.1:8080'", `'${orchestrator.address}'`)
      .replace('- orchestrator-rules.yml', `- ${path.join(RULES_DIR, 'orchestrator-rules.yml')}`);
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      '/usr/bin/prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    await eventually(
      async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => null))?.status,
      (s) => s === 200,
      'prometheus to be ready',
      30_000,
      200,
    );
  }, 120_000);

  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await orchestrator?.stop('SIGKILL');
    await backing?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const promtool = (...args: string[]) => spawnSync('/usr/bin/promtool', args, { cwd: RULES_DIR, encoding: 'utf8' });
  const query = async (expr: string) =>
    (
      (await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      }
    ).data.result;

  it('passes promtool: the rules and the configuration check, and the rules unit tests pass', () => {
    for (const args of [
      ['check', 'rules', 'orchestrator-rules.yml'],
      ['check', 'config', 'prometheus.yml'],
      ['test', 'rules', 'orchestrator-rules.test.yml'],
    ]) {
      const run = promtool(...args);
      expect({ args, status: run.status, output: run.status === 0 ? '' : run.stdout + run.stderr }).toEqual({ args, status: 0, output: '' });
    }
  });

  it('scrapes the orchestrator and raises the saga-failure alert for a launch that found no host', async () => {
    // m1-sized: no host has room (the only one has 1 vCPU and 512 MiB), so the launch fails.
    const up = await eventually(
      () => query('up{job="orchestrator"}'),
      (r) => r.length === 1 && r[0].value[1] === '1',
      'a successful scrape',
      30_000,
      500,
    );
    expect(up[0].metric.instance).toBe(orchestrator.address);
    // Scraped at 0 before the failure (every failure type is exported from the start), so that `increase` sees it.
    const before = await eventually(
      () => query('orch_failure_events_total{type="InstanceFailed"}'),
      (r) => r.length === 1,
      'InstanceFailed at 0',
      30_000,
      500,
    );
    expect(before[0].value[1]).toBe('0');
    await admin.post('/v1/flavors', { name: 'huge', vcpus: 64, ramMiB: 65536, diskGiB: 1 });
    expect((await admin.post('/v1/instances', { name: 'nowhere', flavor: 'huge', image: 'img', networks: [{ network: 'net' }] })).status).toBe(202);
    const failed = await eventually(
      () => query('orch_failure_events_total{type="InstanceFailed"}'),
      (r) => r[0]?.value[1] !== '0',
      'InstanceFailed counted',
      60_000,
      500,
    );
    expect(Number(failed[0].value[1])).toBe(1);
    const alerts = await eventually(
      async () =>
        ((await (await fetch(`${prometheusUrl}/api/v1/alerts`)).json()) as { data: { alerts: Array<{ labels: Record<string, string>; state: string }> } }).data
          .alerts,
      (a) => a.some((x) => x.labels.alertname === 'OrchestratorSagaFailures' && x.state === 'firing'),
      'the saga-failure alert to fire',
      30_000,
      500,
    );
    expect(alerts.find((a) => a.labels.alertname === 'OrchestratorSagaFailures')?.labels.type).toBe('InstanceFailed');
  }, 120_000);

  it('sees the projection lag and the rate-limit refusals, and evaluates every rule without error', async () => {
    const lag = await eventually(
      () => query('orch_projection_lag_events'),
      (r) => r.length === 1,
      'the projection lag',
      30_000,
      500,
    );
    expect(Number(lag[0].value[1])).toBeGreaterThanOrEqual(0);
    const answers = await Promise.all(Array.from({ length: 60 }, () => admin.get('/v1/flavors')));
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThan(0);
    const refused = await eventually(
      () => query('orch_rate_limited_total{limit="user"}'),
      (r) => r.length === 1 && Number(r[0].value[1]) > 0,
      'refusals scraped',
      30_000,
      500,
    );
    expect(Number(refused[0].value[1])).toBe(answers.filter((a) => a.status === 429).length);
    const rules = (
      (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
        data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
      }
    ).data.groups.flatMap((g) => g.rules);
    expect(rules).toHaveLength(10);
    expect(rules.filter((r) => r.health !== 'ok')).toEqual([]);
  }, 60_000);
});
