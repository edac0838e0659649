import { Command } from 'commander';
import { CliError, EXIT } from '../cli-error';
import { clientOf, seconds } from '../cli-context';
import { followEvents } from '../event-stream';
import { resourceKind } from '../resource-kinds';
import { resolveId } from '../resolve';

type Action = { verb: 'stop' | 'start' | 'reboot' | 'rm'; done: string; description: string };

const ACTIONS: Action[] = [
  { verb: 'stop', done: 'InstanceStopped', description: 'stop an instance (graceful shutdown, then power off)' },
  { verb: 'start', done: 'InstanceStarted', description: 'start a stopped instance' },
  { verb: 'reboot', done: 'InstanceRebooted', description: 'reboot an instance (soft, else hard with --hard)' },
  { verb: 'rm', done: 'InstanceDeleted', description: 'delete an instance; everything it holds is given back' },
];

/** `orch stop|start|reboot|rm <instance> [--wait]`: the request, then (with --wait) its outcome from the instance's stream. */
export function instanceActionCommands(program: Command): void {
  for (const action of ACTIONS) {
    const command = program
      .command(action.verb)
      .description(action.description)
      .argument('<instance>', 'instance id or name')
      .option('--wait', 'wait until it is done (exit 1 if it failed)')
      .option('--timeout <seconds>', 'with --wait, give up after this long (exit 7)', '300');
    if (action.verb === 'reboot') command.option('--hard', 'power-cycle at once');
    command.action(async (idOrName: string, o: { wait?: boolean; timeout: string; hard?: boolean }, self: Command) => {
      const client = clientOf(self);
      const id = await resolveId(client, resourceKind('instances'), idOrName);
      const { position: head } = await client.get<{ position: number }>('/v1/events/head');
      const path = `/v1/instances/${encodeURIComponent(id)}`;
      if (action.verb === 'rm') await client.delete(path);
      else await client.post(`${path}/actions`, { action: action.verb, ...(o.hard ? { type: 'hard' } : {}) });
      if (o.wait) await waitFor(client, id, head, action, seconds(o.timeout));
      process.stdout.write(`${id}\n`);
    });
  }
}

async function waitFor(client: ReturnType<typeof clientOf>, id: string, head: number, action: Action, timeoutMs: number): Promise<void> {
  let outcome: 'done' | string | null = null;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), timeoutMs);
  try {
    await followEvents(
      client,
      { after: head, stream: `instance-${id}`, types: [action.done, 'InstanceActionFailed'] },
      (event) => {
        outcome = event.type === action.done ? 'done' : String(event.data.reason ?? 'failed');
        return 'stop';
      },
      timer.signal,
    );
  } finally {
    clearTimeout(timeout);
  }
  if (outcome === null) throw new CliError(EXIT.TIMEOUT, `${action.verb} of ${id} not done after ${timeoutMs / 1000} s; it goes on`);
  if (outcome !== 'done') throw new CliError(EXIT.FAILED, `${action.verb} of ${id} failed: ${outcome}`);
}
