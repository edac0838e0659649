import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliError, EXIT } from './cli-error';

/** What `orch login` keeps per profile: where the cloud is and the token it gave. */
export type Profile = { url: string; user: string; project: string; token: string; expiresAt: string };
export type ProfileFile = { current: string | null; profiles: Record<string, Profile> };

/** `ORCH_CLI_CONFIG`, else `$XDG_CONFIG_HOME/orch/config.json`, else `~/.config/orch/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ORCH_CLI_CONFIG) return path.resolve(env.ORCH_CLI_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'orch', 'config.json');
}

export function readProfiles(file = configPath()): ProfileFile {
  if (!fs.existsSync(file)) return { current: null, profiles: {} };
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ProfileFile;
    return { current: parsed.current ?? null, profiles: parsed.profiles ?? {} };
  } catch (error) {
    throw new CliError(EXIT.FAILED, `${file} is not a valid orch configuration (${String(error)})`);
  }
}

/** Written through a temporary file created 0600, so the token is never readable by others, not even for a moment. */
export function writeProfiles(content: ProfileFile, file = configPath()): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}

/** The profile asked for (`--profile`, `ORCH_PROFILE`), else the current one. */
export function selectedProfile(name: string | undefined, file = configPath()): { name: string; profile: Profile } {
  const content = readProfiles(file);
  const chosen = name ?? (process.env.ORCH_PROFILE || undefined) ?? content.current;
  if (!chosen) throw new CliError(EXIT.AUTH, 'not logged in: run `orch login --url <cloud> --user <name>` first');
  const profile = content.profiles[chosen];
  if (!profile) throw new CliError(EXIT.AUTH, `no profile "${chosen}": run \`orch login --profile ${chosen}\` first`);
  return { name: chosen, profile };
}
