import { Command } from 'commander';
import * as fs from 'node:fs';
import { CliError, EXIT } from '../cli-error';
import { CloudClient } from '../cloud-client';
import { globalOptions } from '../cli-context';
import { printList } from '../output';
import { configPath, readProfiles, writeProfiles } from '../profiles';

/** `orch login`, `orch logout`, `orch profiles`: tokens kept per profile in a 0600 file. */
export function sessionCommands(program: Command): void {
  program
    .command('login')
    .description('log in to a cloud and keep the token in the profile (default: "default")')
    .requiredOption('--url <url>', 'the cloud base URL, e.g. http://127.0.0.1:8080')
    .requiredOption('--user <name>', 'user name')
    .option('--project <name>', 'project to scope the token to', 'admin')
    .option('--password <password>', 'password (else ORCH_PASSWORD, else read from stdin)')
    .action(async (options: { url: string; user: string; project: string; password?: string }, command: Command) => {
      const profileName = globalOptions(command).profile ?? (process.env.ORCH_PROFILE || undefined) ?? 'default';
      const password = options.password ?? (process.env.ORCH_PASSWORD || undefined) ?? readStdin();
      if (!password) throw new CliError(EXIT.USAGE, 'no password: pass --password, set ORCH_PASSWORD or pipe it on stdin');
      const url = options.url.replace(/\/+$/, '');
      const answer = await new CloudClient(url, null).post<{ token: string; expiresAt: string }>('/v1/auth/tokens', {
        username: options.user,
        password,
        project: options.project,
      });
      const content = readProfiles();
      content.profiles[profileName] = { url, user: options.user, project: options.project, token: answer.token, expiresAt: answer.expiresAt };
      content.current = profileName;
      writeProfiles(content);
      process.stdout.write(`logged in to ${url} as ${options.user} (project ${options.project}), profile "${profileName}", until ${answer.expiresAt}\n`);
    });

  program
    .command('logout')
    .description('forget the token of the profile')
    .action((_options: unknown, command: Command) => {
      const content = readProfiles();
      const name = globalOptions(command).profile ?? (process.env.ORCH_PROFILE || undefined) ?? content.current;
      if (!name || !content.profiles[name]) throw new CliError(EXIT.AUTH, 'not logged in');
      delete content.profiles[name];
      if (content.current === name) content.current = Object.keys(content.profiles)[0] ?? null;
      writeProfiles(content);
      process.stdout.write(`logged out of profile "${name}"\n`);
    });

  program
    .command('profiles')
    .description(`list the profiles kept in ${configPath()}`)
    .action((_options: unknown, command: Command) => {
      const content = readProfiles();
      const rows = Object.entries(content.profiles).map(([name, p]) => ({
        name,
        current: name === content.current,
        url: p.url,
        user: p.user,
        project: p.project,
        expiresAt: p.expiresAt,
      }));
      printList(
        rows,
        ['name', 'current', 'url', 'user', 'project', 'expiresAt'].map((key) => ({ header: key, value: (r) => r[key] })),
        globalOptions(command).output,
      );
    });
}

function readStdin(): string {
  if (process.stdin.isTTY) return '';
  return fs.readFileSync(0, 'utf8').trim();
}
