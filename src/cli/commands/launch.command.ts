import { Command } from 'commander';
import { CliError, EXIT } from '../cli-error';
import { clientOf, globalOptions, seconds } from '../cli-context';
import { followEvents } from '../event-stream';
import { countStates, launchProgress } from '../launch-progress';
import { LaunchState, STATE_AFTER } from '../shared/event-stream-messages';
import { printList } from '../output';

type Accepted = { operation: { id: string }; instances: Array<{ id: string; name: string; state: string }> };

/** `orch launch <name> --count N`: one request, then the progress of every instance from the event stream. */
export function launchCommand(program: Command): void {
  program
    .command('launch')
    .description('launch instances and follow them (from the event stream) until each is active or failed')
    .argument('<name>', 'instance name (with --count above 1: <name>-1, <name>-2, ...)')
    .requiredOption('--flavor <flavor>', 'flavor id or name (m1.tiny ...)')
    .requiredOption('--image <image>', 'image id or name')
    .option('--network <network...>', 'networks by id or name (one NIC each)', ['private'])
    .option('--count <n>', 'how many instances (all or none)', '1')
    .option('--key-name <name>', 'key pair to inject')
    .option('--security-group <group...>', 'security groups')
    .option('--no-wait', 'return once the launch is accepted')
    .option('--timeout <seconds>', 'give up waiting after this long (exit 7)', '600')
    .action(async (name: string, o: LaunchOptions, command: Command) => {
      const count = Number(o.count);
      if (!Number.isInteger(count) || count < 1 || count > 1000) throw new CliError(EXIT.USAGE, '--count must be an integer from 1 to 1000');
      const client = clientOf(command);
      const { position: head } = await client.get<{ position: number }>('/v1/events/head');
      const accepted = await client.post<Accepted>('/v1/instances', {
        name,
        flavor: o.flavor,
        image: o.image,
        networks: o.network.map((network) => ({ network })),
        minCount: count,
        maxCount: count,
        ...(o.keyName ? { keyName: o.keyName } : {}),
        ...(o.securityGroup ? { securityGroups: o.securityGroup } : {}),
      });
      const states = new Map<string, LaunchState>(accepted.instances.map((i) => [i.id, 'pending']));
      const output = globalOptions(command).output;
      const rows = () => accepted.instances.map((i) => ({ id: i.id, name: i.name, state: states.get(i.id) }));
      const columns = ['id', 'name', 'state'].map((key) => ({ header: key, value: (r: Record<string, unknown>) => r[key] }));
      if (!o.wait) return printList(rows(), columns, output);
      const progress = launchProgress(states.size);
      const finished = () => [...states.values()].every((s) => s === 'active' || s === 'error');
      const timer = new AbortController();
      const timeout = setTimeout(() => timer.abort(), seconds(o.timeout));
      try {
        await followEvents(
          client,
          { after: head, types: Object.keys(STATE_AFTER) },
          (event) => {
            const instanceId = String(event.data.instanceId ?? '');
            const next = STATE_AFTER[event.type];
            if (!states.has(instanceId) || !next) return;
            states.set(instanceId, next);
            progress.update(countStates(states.values()));
            return finished() ? 'stop' : undefined;
          },
          timer.signal,
        );
      } finally {
        clearTimeout(timeout);
        progress.stop(countStates(states.values()));
      }
      printList(rows(), columns, output);
      if (!finished()) throw new CliError(EXIT.TIMEOUT, `gave up after ${o.timeout} s: operation ${accepted.operation.id} goes on (orch ls instances)`);
      const failed = [...states.values()].filter((s) => s === 'error').length;
      if (failed > 0) throw new CliError(EXIT.FAILED, `${failed} of ${states.size} instances failed (orch show instance <id> tells why)`);
    });
}

type LaunchOptions = {
  flavor: string;
  image: string;
  network: string[];
  count: string;
  keyName?: string;
  securityGroup?: string[];
  wait: boolean;
  timeout: string;
};
