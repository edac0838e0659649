import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { eventually } from './eventually';
import { REPO_ROOT, freePort } from './processes';

export const HAPROXY = '/usr/sbin/haproxy';
/** The README's example, used as it is: addresses come from the environment. */
const CONFIG = path.join(REPO_ROOT, 'deploy/haproxy.cfg');

export type LoadBalancer = { url: string; log: string[]; stop(): Promise<void> };

/**
 * Debian's haproxy with deploy/haproxy.cfg in front of up to three orchestrators (`host:port`
 * each; its missing servers point at a port nobody listens on and fail their checks), once it
 * routes to one of them.
 */
export async function startHaproxy(given: string[]): Promise<LoadBalancer> {
  const backends = [0, 1, 2].map((i) => given[i] ?? '127.0.0.1:1');
  const port = await freePort();
  const child = spawn(HAPROXY, ['-db', '-f', CONFIG], {
    env: { ...process.env, ORCH_LB_LISTEN: `127.0.0.1:${port}`, ORCH_1: backends[0], ORCH_2: backends[1], ORCH_3: backends[2] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited: ${log.join('')}`);
      return (await fetch(`${url}/readyz`)).status;
    },
    (status) => status === 200,
    'haproxy to route to an orchestrator',
    20_000,
    100,
  );
  return {
    url,
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
