import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { Api, api, prepareSimulatedCloud } from '../support/cluster-cloud';
import { Outage, databaseOutage } from '../support/database-outage';
import { PG_ADMIN_URL, postgresReachable } from '../support/postgres';
import { describeWithPostgres } from '../support/services';
import { TcpCut, tcpRelay } from '../support/tcp-cut';

const ROOT = path.resolve(__dirname, '../..');

/** Stops this machine's PostgreSQL server itself (fast shutdown: sessions ended, as an operator's restart does) and starts it again. */
function serverStop(): Outage {
  const version = fs.readdirSync('/etc/postgresql').sort().pop() as string;
  return {
    name: 'PostgreSQL server stopped for 20 s',
    begin: async () =>
      void execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'stop', '-m', 'fast'], { stdio: 'ignore', timeout: 60_000 }),
    end: async () => void execFileSync('bash', ['scripts/ensure-postgres.sh'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 }),
    reachable: () => postgresReachable(PG_ADMIN_URL),
  };
}

/**
 * PostgreSQL gone for 20 s while an orchestrator process provisions a launch and serves steady
 * reads and writes (test/support/database-outage.ts): once as every connection cut (through a
 * relay: a partition), once as the server itself stopped and started again.
 */
describeWithPostgres('PostgreSQL unreachable for 20 s (a real process)', () => {
  let backing: ClusterBacking;
  let orchestrator: Orchestrator;
  let admin: Api;
  let relay: TcpCut | null = null;

  /** An orchestrator process on a fresh database (through a relay that can be cut, if asked); the URL it uses. */
  const start = async (throughRelay: boolean): Promise<string> => {
    backing = await createClusterBacking({ ORCH_SIM_LATENCY_MS: '40', ORCH_LOG_LEVEL: 'warn' });
    const url = new URL(backing.env.ORCH_DATABASE_URL as string);
    if (throughRelay) {
      relay = await tcpRelay(Number(url.port || 5432), url.hostname);
      url.port = String(relay.port);
    }
    orchestrator = await startOrchestrator(backing, { ORCH_DATABASE_URL: url.toString(), ORCH_RELAY: 'off', ORCH_BILLING: 'off' });
    const token = (await api(orchestrator.url).post('/v1/auth/tokens', { username: 'admin', password: ADMIN_PASSWORD, project: 'admin' })).body.token;
    admin = api(orchestrator.url, token);
    await prepareSimulatedCloud(admin, 4);
    return url.toString();
  };

  afterEach(async () => {
    await orchestrator?.stop('SIGKILL');
    await relay?.close();
    relay = null;
    if (!(await postgresReachable())) execFileSync('bash', ['scripts/ensure-postgres.sh'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    await backing?.destroy();
  });

  it('every connection cut: 503 with Retry-After (never a 500 or a hang), nothing acknowledged lost, the launch finished after', async () => {
    const viaRelay = await start(true);
    const cut = relay as TcpCut;
    const figures = await databaseOutage(orchestrator.url, admin, backing.stateDir, {
      name: 'PostgreSQL unreachable for 20 s (connections cut)',
      begin: () => cut.cut(),
      end: () => cut.restore(),
      reachable: () => postgresReachable(viaRelay),
    });
    process.stdout.write(`DATABASE-OUTAGE cut ${JSON.stringify(figures)}\n`);
  }, 240_000);

  it('the server stopped and started again: the same', async () => {
    await start(false);
    const figures = await databaseOutage(orchestrator.url, admin, backing.stateDir, serverStop());
    process.stdout.write(`DATABASE-OUTAGE stop ${JSON.stringify(figures)}\n`);
  }, 300_000);
});
