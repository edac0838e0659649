import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActualDomain, DomainSpec, HypervisorDriver, LifecycleEvent } from '../../../application/compute/ports/hypervisor-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { PowerState } from '../../../domain/compute/instance/instance-states';
import { domainName, instanceOfDomain } from '../../libvirt/names';
import { CommandFailed, runCommand } from '../../system/run-command';
import { writeConfigDrive } from './config-drive';
import { domainXml } from './domain-xml';
import { LifecycleWatcher } from './lifecycle-watcher';
import { sleep } from '../../../application/shared/sleep';

export type LibvirtSettings = {
  /** libvirt connection URI of the host (qemu:///system). */
  uri: string;
  /** Per-instance files: config drive, console log, domain XML. */
  stateDir: string;
  /** Where root volumes are (the block storage's pool directory: <volumeId>.qcow2). */
  volumeDir: string;
  /** TCG by default: nested KVM hung guests early in boot on these machines. */
  domainType: 'qemu' | 'kvm';
};

const READY = (instanceId: string) => `ORCH-READY id=${instanceId} `;
const BOOT = 'ORCH-BOOT';

const POWER: Record<string, PowerState> = {
  running: 'running',
  'in shutdown': 'running',
  blocked: 'running',
  paused: 'paused',
  pmsuspended: 'paused',
  'shut off': 'shutdown',
  shutoff: 'shutdown',
  crashed: 'crashed',
  dying: 'shutdown',
};

/**
 * A libvirt/QEMU host driven through virsh (child processes, arguments never through a shell).
 * "Ready" means the guest printed its ready marker on the serial console, not that QEMU started:
 * the console is appended to a log file, and a start or reboot remembers how far the log was, so
 * only a marker printed after it counts (after a restart of the orchestrator, the last boot's).
 */
export class LibvirtHypervisor implements HypervisorDriver {
  private readonly logOffsets = new Map<string, number>();
  private readonly watcher: LifecycleWatcher;

  constructor(private readonly settings: LibvirtSettings) {
    this.watcher = new LifecycleWatcher(settings.uri);
  }

  private files(instanceId: string) {
    const dir = path.join(this.settings.stateDir, instanceId);
    return { dir, configDrive: path.join(dir, 'config.iso'), consoleLog: path.join(dir, 'console.log'), xml: path.join(dir, 'domain.xml') };
  }

  async define(spec: DomainSpec): Promise<void> {
    const files = this.files(spec.instanceId);
    fs.mkdirSync(files.dir, { recursive: true });
    const kernelDir = spec.imageSource;
    const kernel =
      kernelDir && fs.existsSync(path.join(kernelDir, 'vmlinuz'))
        ? { vmlinuz: path.join(kernelDir, 'vmlinuz'), initrd: path.join(kernelDir, 'initrd.img') }
        : null;
    const rootDisk = spec.rootVolumeId ? path.join(this.settings.volumeDir, `${spec.rootVolumeId}.qcow2`) : null;
    if (!kernel && !rootDisk) throw new DriverError('invalid', 'define', `image ${spec.imageSource} has no vmlinuz and the instance no root volume`);
    if (rootDisk && !fs.existsSync(rootDisk))
      throw new DriverError('invalid', 'define', `root volume ${spec.rootVolumeId} is not in ${this.settings.volumeDir}`);
    await writeConfigDrive(spec, files.configDrive).catch((error: unknown) => {
      throw new DriverError('transient', 'define', `config drive: ${String(error)}`);
    });
    fs.writeFileSync(files.xml, domainXml(spec, { kernel, rootDisk, configDrive: files.configDrive, consoleLog: files.consoleLog }, this.settings.domainType));
    await this.virsh('define', ['define', files.xml]);
  }

  async start(instanceId: string, options: { paused?: boolean } = {}): Promise<void> {
    const offset = this.logSize(instanceId);
    const args = ['start', domainName(instanceId), ...(options.paused ? ['--paused'] : [])];
    // Only a start that happened moves the mark: a guest already running is ready (or not) as it was.
    if ((await this.virsh('start', args, /already active/)) === 'done') this.logOffsets.set(instanceId, offset);
  }

  async resume(instanceId: string): Promise<void> {
    await this.virsh('resume', ['resume', domainName(instanceId)], /not paused|already running/);
  }

  async shutdown(instanceId: string, timeoutMs: number): Promise<'graceful' | 'forced'> {
    const done = await this.virsh('shutdown', ['shutdown', domainName(instanceId)], /not running/);
    if (done === 'tolerated') return 'graceful';
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.powerOf(instanceId)) !== 'running') return 'graceful';
      await sleep(200);
    }
    await this.destroy(instanceId);
    return 'forced';
  }

  async destroy(instanceId: string): Promise<void> {
    await this.virsh('destroy', ['destroy', domainName(instanceId)], /not running|failed to get domain|Domain not found/);
  }

  async reboot(instanceId: string, type: 'soft' | 'hard'): Promise<void> {
    const power = await this.powerOf(instanceId);
    if (power === undefined) throw new DriverError('not_found', 'reboot', `no domain for ${instanceId}`);
    this.logOffsets.set(instanceId, this.logSize(instanceId));
    if (type === 'hard') {
      // A reset of a running guest; an off one is simply started.
      if (power === 'running' || power === 'paused') await this.virsh('reboot', ['reset', domainName(instanceId)]);
      else await this.virsh('reboot', ['start', domainName(instanceId)], /already active/);
      return;
    }
    if (power !== 'running') throw new DriverError('invalid', 'reboot', `a soft reboot needs a running guest; ${instanceId} is ${power}`);
    // ACPI: the guest powers off on the button, and libvirt starts it again in the same QEMU process.
    await this.virsh('reboot', ['reboot', domainName(instanceId)]);
  }

  async undefine(instanceId: string): Promise<void> {
    await this.destroy(instanceId);
    await this.virsh('undefine', ['undefine', domainName(instanceId)], /failed to get domain|Domain not found/);
    this.logOffsets.delete(instanceId);
    fs.rmSync(this.files(instanceId).dir, { recursive: true, force: true });
  }

  async waitUntilReady(instanceId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.readySince(instanceId)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(200, Math.max(1, deadline - Date.now())));
    }
  }

  async list(): Promise<ActualDomain[]> {
    const { stdout } = await this.run('list', ['list', '--all']);
    const domains: ActualDomain[] = [];
    for (const line of stdout.split('\n').slice(2)) {
      const match = /^\s*(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
      const instanceId = match ? instanceOfDomain(match[2]) : null;
      if (match && instanceId) domains.push({ instanceId, powerState: POWER[match[3]] ?? 'nostate' });
    }
    return domains;
  }

  onLifecycle(listener: (event: LifecycleEvent) => void): () => void {
    return this.watcher.add(listener);
  }

  /** Stops watching lifecycle events (the watcher is a long-running virsh process). */
  close(): void {
    this.watcher.close();
  }

  private async powerOf(instanceId: string): Promise<PowerState | undefined> {
    try {
      const { stdout } = await this.run('domstate', ['domstate', domainName(instanceId)]);
      return POWER[stdout.trim()] ?? 'nostate';
    } catch (error) {
      if (error instanceof DriverError && error.kind === 'not_found') return undefined;
      throw error;
    }
  }

  async consoleOutput(instanceId: string, maxBytes: number): Promise<string> {
    const file = this.files(instanceId).consoleLog;
    try {
      const size = fs.statSync(file).size;
      const handle = await fs.promises.open(file, 'r');
      try {
        const length = Math.min(size, maxBytes);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        return buffer.toString('utf8');
      } finally {
        await handle.close();
      }
    } catch {
      return ''; // no log: the guest never started here
    }
  }

  private logSize(instanceId: string): number {
    try {
      return fs.statSync(this.files(instanceId).consoleLog).size;
    } catch {
      return 0;
    }
  }

  /** A ready marker after the offset of the last start or reboot (or, with none known, after the last boot marker). */
  private readySince(instanceId: string): boolean {
    let log: string;
    try {
      log = fs.readFileSync(this.files(instanceId).consoleLog, 'latin1');
    } catch {
      return false;
    }
    const from = this.logOffsets.get(instanceId) ?? Math.max(0, log.lastIndexOf(BOOT));
    return log.indexOf(READY(instanceId), from) >= 0;
  }

  /** Runs virsh; an error whose text matches `tolerated` counts as done (the call is idempotent). */
  private async virsh(operation: string, args: string[], tolerated?: RegExp): Promise<'done' | 'tolerated'> {
    try {
      await this.run(operation, args);
      return 'done';
    } catch (error) {
      if (tolerated && error instanceof DriverError && tolerated.test(error.message)) return 'tolerated';
      throw error;
    }
  }

  private async run(operation: string, args: string[]) {
    try {
      return await runCommand('virsh', ['-c', this.settings.uri, ...args], { timeoutMs: 120_000 });
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error;
      throw new DriverError(kindOf(error.stderr), operation, error.stderr.trim() || error.message);
    }
  }
}

function kindOf(stderr: string): DriverError['kind'] {
  if (/failed to get domain|Domain not found|no domain with matching/i.test(stderr)) return 'not_found';
  if (/failed to connect|Cannot recv data|End of file while reading/i.test(stderr)) return 'unreachable';
  if (/Requested operation is not valid|not running|already active/i.test(stderr)) return 'invalid';
  return 'transient';
}
