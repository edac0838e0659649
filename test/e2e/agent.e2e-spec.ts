import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { HOST_DRIVERS } from '../../src/infrastructure/drivers/host-drivers';
import { SimulatedHostDrivers } from '../../src/infrastructure/simulation/simulated-host-drivers';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { eventually, settled } from '../support/eventually';
import { describeWithPostgres } from '../support/services';

const ROOT = path.resolve(__dirname, '../..');

/**
 * `npm run agent -- --host <name>` as a real process beside the orchestrator, on the same store:
 * it takes the host over, drives its instances through its own drivers (the orchestrator's
 * simulated hypervisor for that host stays empty), survives a SIGKILL with the host waiting for
 * it, and hands the host back when stopped.
 */
for (const store of ['embedded', 'postgres'] as const) {
  (store === 'postgres' ? describeWithPostgres : describe)(`Standalone compute agent (${store})`, () => {
    let backing: Backing;
    let running: RunningApp;
    let admin: string;
    let hostId: string;
    let agent: ChildProcess | null = null;
    const agentLog: string[] = [];
    const agentState = () => path.join(backing.config.dataDir, 'agent-host-state');

    const get = (p: string) => running.http.get(p).set(bearer(admin));
    const post = (p: string, body: object = {}) => running.http.post(p).set(bearer(admin)).send(body);
    const settle = (operationId: string) => settled(async () => (await get(`/v1/operations/${operationId}`)).body, operationId, 20_000);
    const instanceIn = (id: string, state: string) =>
      eventually(
        async () => (await get(`/v1/instances/${id}`)).body,
        (i) => i.state === state && i.taskState === null,
        `${id} ${state}`,
        20_000,
      );
    const hostAgent = async () => (await get(`/v1/hosts/${hostId}`)).body.agent as string | null;

    /** Starts an agent and returns its id once the host shows it (in place of `previous`, if any). */
    const startAgent = async (previous: string | null = null) => {
      agent = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/agent.ts', '--host', 'remote-1'], {
        cwd: ROOT,
        env: { ...process.env, ...backing.env, ORCH_SIM_STATE_DIR: agentState(), ORCH_LOG_LEVEL: 'info', ORCH_RECONCILE_INTERVAL_MS: '3600000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      agent.stdout?.on('data', (d: Buffer) => agentLog.push(d.toString()));
      agent.stderr?.on('data', (d: Buffer) => agentLog.push(d.toString()));
      await eventually(
        async () => agentLog.join(''),
        (text) => text.includes('compute agent running') || agent?.exitCode !== null,
        'the agent to start',
        60_000,
      );
      if (agent.exitCode !== null) throw new Error(`agent exited: ${agentLog.join('')}`);
      return eventually(hostAgent, (a) => typeof a === 'string' && a.startsWith('agt-') && a !== previous, 'the host to show its agent');
    };
    const stopAgent = async (signal: NodeJS.Signals) => {
      const dying = agent;
      agent = null;
      if (!dying || dying.exitCode !== null) return;
      const exited = new Promise((resolve) => dying.once('exit', resolve));
      dying.kill(signal);
      await exited;
    };
    const orchestratorHypervisor = () => running.app.get<SimulatedHostDrivers>(HOST_DRIVERS).hypervisor({ hostId, driver: 'simulated', uri: null });

    beforeAll(async () => {
      backing = await createBacking(store);
      running = await startApp(backing);
      admin = await running.login('admin', ADMIN_PASSWORD, 'admin');
      await post('/v1/flavors', { name: 'tiny', vcpus: 1, ramMiB: 256, diskGiB: 1 });
      await post('/v1/images', { name: 'img', os: 'linux', minDiskGiB: 0, source: 'x' });
      hostId = (await post('/v1/hosts', { name: 'remote-1', driver: 'simulated', vcpus: 8, ramMiB: 16384, diskGiB: 200 })).body.id;
      await post('/v1/networks', { name: 'net', cidr: '10.9.0.0/24' });
      await running.readModelsCaughtUp();
    }, 60_000);

    afterAll(async () => {
      await stopAgent('SIGKILL');
      await running?.close();
      await backing?.destroy();
    });

    it('drives its host: launch, stop; a killed agent leaves the host waiting, a restarted one carries on', async () => {
      const firstAgent = await startAgent();
      const launch = await post('/v1/instances', { name: 'far', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] });
      expect(launch.status).toBe(202);
      const id = launch.body.instances[0].id;
      expect((await settle(launch.body.operation.id)).status).toBe('succeeded');
      expect((await get(`/v1/instances/${id}`)).body).toMatchObject({ state: 'active', host: hostId });
      expect(await orchestratorHypervisor().list()).toEqual([]); // the agent's drivers did it, not the orchestrator's

      await stopAgent('SIGKILL');
      expect((await post(`/v1/instances/${id}/actions`, { action: 'stop' })).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await get(`/v1/instances/${id}`)).body).toMatchObject({ state: 'stopping', taskState: 'powering_off' }); // nobody else drives the host
      expect(await hostAgent()).toBe(firstAgent);

      await startAgent(firstAgent);
      await instanceIn(id, 'stopped');
      expect(await orchestratorHypervisor().list()).toEqual([]);
    }, 120_000);

    it('hands the host back when stopped: the orchestrator drives it again', async () => {
      await stopAgent('SIGTERM');
      await eventually(hostAgent, (a) => a === null, 'the host handed back');
      const launch = await post('/v1/instances', { name: 'near', flavor: 'tiny', image: 'img', networks: [{ network: 'net' }] });
      expect((await settle(launch.body.operation.id)).status).toBe('succeeded');
      expect((await orchestratorHypervisor().list()).map((d) => d.instanceId)).toEqual([launch.body.instances[0].id]);
    }, 60_000);
  });
}
