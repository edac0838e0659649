import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_PASSWORD, StoreUnderTest } from './app';
import { createTestDatabase } from './postgres';
import { RunningProcess, freePort, startProcess } from './processes';

/**
 * Several orchestrator processes on one PostgreSQL database (or processes on one machine's embedded
 * store: an orchestrator and its agents), their simulated hosts shared through a state directory.
 */
export type ClusterBacking = { env: NodeJS.ProcessEnv; stateDir: string; destroy(): Promise<void> };

export async function createClusterBacking(overrides: NodeJS.ProcessEnv = {}, store: StoreUnderTest = 'postgres'): Promise<ClusterBacking> {
  const database = store === 'postgres' ? await createTestDatabase('orch_cluster') : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-cluster-'));
  // The hosts' state is not the orchestrator's data: kept in memory (tmpfs) where there is one, as
  // on ext4 the renames and lock files of every driver call took more CPU than the orchestrator.
  const stateDir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'orch-sim-hosts-'));
  const env: NodeJS.ProcessEnv = {
    ORCH_STORE: store,
    ...(database ? { ORCH_DATABASE_URL: database.url } : {}),
    ORCH_DATA_DIR: dataDir,
    ORCH_SECRET_KEY: 'c1'.repeat(32),
    ORCH_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    ORCH_DEMO: 'off',
    ORCH_GRPC_PORT: 'off',
    ORCH_PG_POOL_SIZE: '10',
    ORCH_SIM_STATE_DIR: stateDir,
    ORCH_LOG_LEVEL: 'info',
    ...overrides,
  };
  return {
    env,
    stateDir,
    destroy: async () => {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export type Orchestrator = RunningProcess & { pid: number; address: string; url: string };

/** One orchestrator process (src/main.ts) of the cluster, on a port of its own (or the one chosen), once it is ready (whatever its log level). */
export async function startOrchestrator(backing: ClusterBacking, env: NodeJS.ProcessEnv = {}, chosenPort?: number): Promise<Orchestrator> {
  const port = chosenPort ?? (await freePort());
  const running = await startProcess(
    'main',
    [],
    { ...backing.env, ORCH_HTTP_HOST: '127.0.0.1', ORCH_HTTP_PORT: String(port), ...env },
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
  );
  return { ...running, pid: running.child.pid as number, address: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}` };
}

export type ClusterMember = { id: string; pid: number; alive: boolean; leaving: boolean; shards: number[]; singletons: string[] };

/** GET /v1/cluster: the members PostgreSQL knows of and what each holds. */
export async function clusterMembers(url: string, token: string): Promise<ClusterMember[]> {
  const response = await fetch(`${url}/v1/cluster`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /v1/cluster: ${response.status}`);
  return ((await response.json()) as { members: ClusterMember[] }).members;
}

/** Every shard held by exactly one live member, shares within one of each other, each singleton held once. */
export function sharedOutFairly(members: ClusterMember[], shards: number, livePids: number[]): boolean {
  const live = members.filter((m) => m.alive && livePids.includes(m.pid));
  if (live.length !== livePids.length) return false;
  const held = live.flatMap((m) => m.shards).sort((a, b) => a - b);
  const sizes = live.map((m) => m.shards.length);
  const singletons = live.flatMap((m) => m.singletons).sort();
  return (
    held.length === shards &&
    held.every((s, i) => s === i) &&
    Math.max(...sizes) - Math.min(...sizes) <= 1 &&
    JSON.stringify(singletons) === JSON.stringify(['projections', 'relay'])
  );
}
