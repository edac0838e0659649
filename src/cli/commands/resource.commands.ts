import { Command } from 'commander';
import { CliError, EXIT } from '../cli-error';
import { RecordedEvent } from '../cloud-client';
import { clientOf, globalOptions } from '../cli-context';
import { Item, printList, printOne } from '../output';
import { RESOURCE_KINDS, resourceKind } from '../resource-kinds';
import { resolveId } from '../resolve';
import { eventColumns } from './event-columns';

/** `orch ls`, `orch show [--as-of]`, `orch history`: reading resources and their past. */
export function resourceCommands(program: Command): void {
  program
    .command('ls')
    .description(`list resources: ${Object.keys(RESOURCE_KINDS).join(', ')}`)
    .argument('<kind>', 'what to list')
    .option('--state <state>', 'instances only: in this state')
    .action(async (word: string, options: { state?: string }, command: Command) => {
      const kind = resourceKind(word);
      const client = clientOf(command);
      const query = options.state ? `?state=${encodeURIComponent(options.state)}` : '';
      printList(await client.list(`${kind.path}${query}`), kind.columns, globalOptions(command).output);
    });

  program
    .command('show')
    .description('show one resource, now or as it was at a past moment')
    .argument('<kind>', 'instance, volume, network, flavor, image, host, ...')
    .argument('<id-or-name>')
    .option('--as-of <time-or-position>', 'an ISO time (2026-12-06T10:00:00Z) or an event position: the resource as it was then (instances, volumes, networks)')
    .action(async (word: string, idOrName: string, options: { asOf?: string }, command: Command) => {
      const kind = resourceKind(word);
      const client = clientOf(command);
      if (options.asOf !== undefined && !kind.asOf) throw new CliError(EXIT.USAGE, `--as-of is served for instances, volumes and networks, not ${kind.name}`);
      const id = await resolveId(client, kind, idOrName);
      const asOf = options.asOf !== undefined ? `?asOf=${encodeURIComponent(options.asOf)}` : '';
      printOne(await client.get<Item>(`${kind.path}/${encodeURIComponent(id)}${asOf}`), globalOptions(command).output);
    });

  program
    .command('history')
    .description("a resource's history: every event of its stream, oldest first")
    .argument('<kind>')
    .argument('<id-or-name>')
    .action(async (word: string, idOrName: string, _options: unknown, command: Command) => {
      const kind = resourceKind(word);
      if (!kind.stream) throw new CliError(EXIT.USAGE, `${kind.name} have no history of their own`);
      const client = clientOf(command);
      const id = await resolveId(client, kind, idOrName);
      const events = await client.list<RecordedEvent>(`/v1/events?stream=${encodeURIComponent(kind.stream(id))}`);
      printList(events, eventColumns, globalOptions(command).output);
    });

  program
    .command('delete')
    .description('delete a resource other than an instance (for instances: orch rm)')
    .argument('<kind>')
    .argument('<id-or-name>')
    .action(async (word: string, idOrName: string, _options: unknown, command: Command) => {
      const kind = resourceKind(word);
      if (kind.name === 'instances') throw new CliError(EXIT.USAGE, 'instances are deleted with `orch rm <instance> [--wait]`');
      const client = clientOf(command);
      const id = await resolveId(client, kind, idOrName);
      await client.delete(`${kind.path}/${encodeURIComponent(id)}`);
      process.stdout.write(`${id}\n`);
    });
}
