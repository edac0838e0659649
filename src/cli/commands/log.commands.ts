import { Command } from 'commander';
import { CliError, EXIT } from '../cli-error';
import { clientOf, globalOptions } from '../cli-context';
import { followEvents } from '../event-stream';
import { printOne } from '../output';
import { eventLine } from './event-columns';

/** `orch events tail` (follow the log, filtered) and `orch audit verify` (the hash chain). */
export function logCommands(program: Command): void {
  const events = program.command('events').description('the event log');
  events
    .command('tail')
    .description('follow the log as it is written (Ctrl-C to stop): one line per event, or JSON lines with --output json')
    .option('--type <types>', 'only these event types (comma-separated)')
    .option('--stream <stream>', 'only this stream (instance-<id>, volume-<id>, ...)')
    .option('--after <position>', 'start after this position (0: the whole log); default: only what happens from now')
    .option('--limit <n>', 'stop after this many events')
    .action(async (o: { type?: string; stream?: string; after?: string; limit?: string }, command: Command) => {
      const client = clientOf(command);
      const json = globalOptions(command).output === 'json';
      const limit = o.limit === undefined ? Infinity : Number(o.limit);
      if (!(limit > 0)) throw new CliError(EXIT.USAGE, '--limit must be a positive number');
      const after = o.after !== undefined ? Number(o.after) : (await client.get<{ position: number }>('/v1/events/head')).position;
      if (!Number.isInteger(after) || after < 0) throw new CliError(EXIT.USAGE, '--after must be an event position');
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      let shown = 0;
      await followEvents(
        client,
        { after, stream: o.stream, types: o.type?.split(',') },
        (event) => {
          process.stdout.write((json ? JSON.stringify(event) : eventLine(event)) + '\n');
          return ++shown >= limit ? 'stop' : undefined;
        },
        stop.signal,
      );
    });

  const audit = program.command('audit').description('the integrity of the log');
  audit
    .command('verify')
    .description("walk the log's hash chain (admin); exit 1 at the first altered, removed or inserted event")
    .action(async (_o: unknown, command: Command) => {
      const answer = await clientOf(command).get<Record<string, unknown>>('/v1/audit/verify');
      printOne(answer, globalOptions(command).output);
      if (answer.ok !== true) throw new CliError(EXIT.FAILED, 'the event log fails its integrity check');
    });
}
