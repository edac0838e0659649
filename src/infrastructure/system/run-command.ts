import { execFile } from 'node:child_process';

export type CommandResult = { stdout: string; stderr: string };

export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(`${command} failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    this.name = 'CommandFailed';
  }
}

/**
 * Runs a program with arguments (never through a shell: nothing a user typed is ever parsed as
 * shell syntax), with optional standard input and a timeout.
 */
export function runCommand(file: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
        reject(new CommandFailed(`${file} ${args.slice(0, 3).join(' ')}`, code, String(stderr || error.message)));
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
