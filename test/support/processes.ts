import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { eventually } from './eventually';

/** Run from its TypeScript source (jest), or compiled into dist-bench/test/support (the benchmarks). */
const COMPILED = __filename.endsWith('.js');
/** The repository's root. */
export const REPO_ROOT = path.resolve(__dirname, COMPILED ? '../../..' : '../..');
/** How node runs one of the project's entry points: compiled beside this file, or from source through ts-node. */
const entryPoint = (script: string): string[] =>
  COMPILED ? [path.resolve(__dirname, '../../src', `${script}.js`)] : ['-r', 'ts-node/register/transpile-only', `src/${script}.ts`];

export type RunningProcess = { child: ChildProcess; log: string[]; stop(signal?: NodeJS.Signals): Promise<void> };

/** One of the project's entry points (src/<script>.ts) as a real process, ready once its log says `ready` (or the probe `ready` says so). */
export async function startProcess(script: string, args: string[], env: NodeJS.ProcessEnv, ready: string | (() => Promise<boolean>)): Promise<RunningProcess> {
  const child = spawn(process.execPath, [...entryPoint(script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  await eventually(
    async () => child.exitCode !== null || (typeof ready === 'string' ? log.join('').includes(ready) : await ready()),
    (done) => done,
    `${script} to start`,
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`${script} exited: ${log.join('')}`);
  return {
    child,
    log,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

/** One of the project's entry points run to completion: its exit code and everything it printed. */
export function runProcess(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...entryPoint(script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output: output.join('') })));
}

/** A port nobody listens on right now (for a server that cannot report the port it bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
