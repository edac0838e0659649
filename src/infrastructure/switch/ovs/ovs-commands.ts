import { DriverError } from '../../../application/shared/driver-error';
import { CommandFailed, runCommand } from '../../system/run-command';
import { Interface, Row, ovsValue, toInterface } from './ovs-values';

/**
 * The commands an Open vSwitch host is driven with (ovs-vsctl, ovs-ofctl, ip), their failures as
 * DriverErrors (unreachable when the database or the bridge does not answer), and the tables and
 * lists read back from them.
 */
export class OvsCommands {
  constructor(
    private readonly bridgeName: string,
    /** Called on any failed command. */
    private readonly onFailure: () => void,
  ) {}

  /** A command's output, or null when it failed with a `tolerated` error (taken as done): OvsRouters' SwitchCommand. */
  async output(file: string, operation: string, args: string[], options: { tolerated?: RegExp; input?: string } = {}): Promise<string | null> {
    try {
      return (await this.run(file, operation, args, options.input)).stdout;
    } catch (error) {
      if (options.tolerated && error instanceof DriverError && options.tolerated.test(error.message)) return null;
      throw error;
    }
  }

  async interfaces(): Promise<Interface[]> {
    const rows = await this.table(['list', 'Interface'], ['name', 'ofport', 'external_ids']);
    return rows.map(toInterface);
  }

  async interface(name: string): Promise<Interface | undefined> {
    const rows = await this.table(['find', 'Interface', `name=${name}`], ['name', 'ofport', 'external_ids']);
    return rows.map(toInterface)[0];
  }

  async namespaces(): Promise<Set<string>> {
    const { stdout } = await this.run('ip', 'listNamespaces', ['netns', 'list']);
    return new Set(
      stdout
        .split('\n')
        .map((line) => line.split(' ')[0])
        .filter(Boolean),
    );
  }

  async portTags(): Promise<Map<string, number>> {
    const rows = await this.table(['list', 'Port'], ['name', 'tag']);
    return new Map(rows.map((r) => [String(r.name), typeof r.tag === 'number' ? r.tag : 0]));
  }

  async flowCookies(): Promise<Set<bigint>> {
    const { stdout } = await this.run('ovs-ofctl', 'dumpFlows', ['dump-flows', this.bridgeName]);
    return new Set([...stdout.matchAll(/cookie=(0x[0-9a-f]+)/g)].map((m) => BigInt(m[1])));
  }

  /** A table as rows of plain values (ovs-vsctl's JSON: ["set", [...]] and ["map", [[k, v], …]] decoded). */
  async table(command: string[], columns: string[]): Promise<Row[]> {
    const { stdout } = await this.run('ovs-vsctl', 'list', ['--format=json', '--data=json', `--columns=${columns.join(',')}`, ...command]);
    const parsed = JSON.parse(stdout) as { headings: string[]; data: unknown[][] };
    return parsed.data.map((row) => Object.fromEntries(parsed.headings.map((h, i) => [h, ovsValue(row[i])])));
  }

  async vsctl(operation: string, args: string[], tolerated?: RegExp): Promise<void> {
    await this.tolerate(this.run('ovs-vsctl', operation, ['--timeout=10', ...args]), tolerated);
  }

  async ofctl(operation: string, args: string[], tolerated?: RegExp, input?: string): Promise<void> {
    await this.tolerate(this.run('ovs-ofctl', operation, args, input), tolerated);
  }

  async ip(operation: string, args: string[], tolerated?: RegExp): Promise<void> {
    await this.tolerate(this.run('ip', operation, args), tolerated);
  }

  async tolerate(call: Promise<unknown>, tolerated?: RegExp): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (!(tolerated && error instanceof DriverError && tolerated.test(error.message))) throw error;
    }
  }

  async run(file: string, operation: string, args: string[], input?: string) {
    try {
      return await runCommand(file, args, { input, timeoutMs: 30_000 });
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error;
      this.onFailure(); // something is off: the switch sets its bridge up again next time
      const unreachable = /database connection failed|db\.sock|Connection refused|is not a bridge or a socket/.test(error.stderr);
      throw new DriverError(unreachable ? 'unreachable' : 'transient', operation, error.stderr.trim() || error.message);
    }
  }
}
