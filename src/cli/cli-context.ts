import { Command } from 'commander';
import { CliError, EXIT } from './cli-error';
import { CloudClient } from './cloud-client';
import { OutputFormat } from './output';
import { selectedProfile } from './profiles';

/** The options every command shares (`--profile`, `--output`), read from the root program. */
export type GlobalOptions = { profile?: string; output: OutputFormat };

export function globalOptions(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ profile?: string; output?: string }>();
  const output = options.output ?? 'table';
  if (output !== 'table' && output !== 'json') throw new CliError(EXIT.USAGE, `--output must be table or json, not "${output}"`);
  return { profile: options.profile, output };
}

/** A client for the selected profile's cloud, with its token (refused at once if it has expired). */
export function clientOf(command: Command): CloudClient {
  const { profile: name } = globalOptions(command);
  const { profile } = selectedProfile(name);
  if (Date.parse(profile.expiresAt) <= Date.now())
    throw new CliError(EXIT.AUTH, `the token of profile "${name ?? 'current'}" has expired: run \`orch login\` again`);
  return new CloudClient(profile.url, profile.token);
}

/** Seconds given on the command line, as milliseconds. */
export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(EXIT.USAGE, `expected a number of seconds, not "${value}"`);
  return n * 1000;
}
