import { Command } from 'commander';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, EXIT } from '../cli-error';
import { progressBar } from '../progress-bar';

/**
 * `orch replay`: rebuilds every read model from the log and compares it with the live one, on this
 * machine (the replay reads the store itself: run it where the orchestrator's ORCH_STORE,
 * ORCH_DATA_DIR / ORCH_DATABASE_URL apply). Shows the replay's progress, then its verdict per table.
 */
export function replayCommand(program: Command): void {
  program
    .command('replay')
    .description('rebuild every read model from the log and compare it with the live one (on the machine holding the store; exit 1 if a table differs)')
    .action(async () => {
      const script = path.join(__dirname, '..', '..', 'replay.js');
      if (!fs.existsSync(script)) throw new CliError(EXIT.USAGE, `the replay is not built beside this CLI (${script}): run npm run build`);
      const child = spawn(process.execPath, ['--max-semi-space-size=64', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let head = 0;
      const positions = new Map<number, number>();
      let bar: ReturnType<typeof progressBar> | null = null;
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          const entry = parseLog(line);
          if (!entry) {
            if (bar) bar.update(head);
            bar?.stop();
            bar = null;
            process.stdout.write(line + '\n');
          } else if (entry.msg === 'replay: rebuilding read models') {
            head = Number(entry.head ?? 0);
            bar = progressBar('replay', head);
          } else if (entry.msg === 'replay: progress') {
            positions.set(Number(entry.thread), Number(entry.position));
            bar?.update(Math.min(...positions.values()));
          } else if (entry.level === 'error') {
            process.stderr.write(`${line}\n`);
          }
        }
      });
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      const last = bar as ReturnType<typeof progressBar> | null;
      if (code === 0) last?.update(head);
      last?.stop();
      if (code === 1) throw new CliError(EXIT.FAILED, 'read models DIFFER from their replay (see the tables above)');
      if (code !== 0)
        throw new CliError(
          EXIT.UNAVAILABLE,
          `the replay could not run (exit ${code}); is the store configured here (ORCH_STORE, ORCH_DATA_DIR, ORCH_DATABASE_URL)?`,
        );
    });
}

function parseLog(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}
