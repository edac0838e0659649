import { execFileSync } from 'node:child_process';

/** A command's output (no shell; 30 s at most); throws when it fails. */
export const run = (file: string, ...args: string[]) => execFileSync(file, args, { stdio: 'pipe', timeout: 30_000 }).toString();

/** Whether a command succeeds (no shell; 30 s at most). */
export const succeeds = (file: string, ...args: string[]) => {
  try {
    run(file, ...args);
    return true;
  } catch {
    return false;
  }
};
