import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './processes';

/** The built CLI, as `npx orch` runs it. */
export const ORCH_BIN = path.join(REPO_ROOT, 'dist/cli/orch.js');

/**
 * Builds the project (the CLI as the package's bin and the web console are the compiled ones), as
 * `npm ci` does through `prepare`, unless the build is newer than every source. Called once, from
 * the global setup: a build deletes dist first, so suites must not build while others use it.
 */
export function ensureBuilt(): void {
  const built = [ORCH_BIN, path.join(REPO_ROOT, 'dist/console/index.html')].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
  const sources = newestMtime([path.join(REPO_ROOT, 'src'), path.join(REPO_ROOT, 'console')]);
  if (Math.min(...built) > sources) return;
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`npm run build failed: ${result.stdout}${result.stderr}`);
}

function newestMtime(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

export type OrchRun = { code: number | null; stdout: string; stderr: string };

/** `orch <args>` as a process with its own config file; stdout and stderr apart, as a script sees them. */
export function orch(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<OrchRun> {
  const child = spawn(ORCH_BIN, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (d: Buffer) => stdout.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout: stdout.join(''), stderr: stderr.join('') })));
}

/** `orch <args>` on a pseudo-terminal (util-linux `script`): what a person at a terminal sees, control sequences included. */
export function orchOnTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; screen: string }> {
  const quoted = [ORCH_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', quoted, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const screen: string[] = [];
  child.stdout.on('data', (d: Buffer) => screen.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => screen.push(d.toString()));
  child.stdin.end();
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, screen: screen.join('') })));
}
