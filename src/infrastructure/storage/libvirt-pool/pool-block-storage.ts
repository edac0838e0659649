import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActualSnapshot, ActualVolume, BlockStorageDriver, VolumeSpec } from '../../../application/storage/ports/block-storage-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { domainName, instanceOfDomain } from '../../libvirt/names';
import { CommandFailed, runCommand } from '../../system/run-command';
import { sleep } from '../../../application/shared/sleep';

export type PoolSettings = {
  uri: string;
  /** The pool's directory: <volumeId>.qcow2, and snapshots/<snapshotId>@<volumeId>.qcow2. */
  dir: string;
  /** The libvirt directory pool over `dir` (defined and started if missing). */
  pool: string;
};

const DEVICES = ['vdb', 'vdc', 'vdd', 'vde', 'vdf', 'vdg', 'vdh', 'vdi', 'vdj'];

/**
 * Volumes as qcow2 files in a libvirt directory pool: created blank, as an overlay of an image's
 * base disk (an image directory with base.qcow2, or a .qcow2 file), or as a copy of a snapshot;
 * attached to and detached from guests live through virsh (device vdb, vdc, …); snapshots are
 * full copies (qemu-img convert) that outlive their volume. Nothing is left on disk after delete.
 */
export class PoolBlockStorage implements BlockStorageDriver {
  private ready: Promise<void> | null = null;

  constructor(private readonly settings: PoolSettings) {}

  private volumePath = (volumeId: string) => path.join(this.settings.dir, `${volumeId}.qcow2`);
  private get snapshotDir() {
    return path.join(this.settings.dir, 'snapshots');
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.ensurePool();
    const target = this.volumePath(spec.volumeId);
    if (fs.existsSync(target)) return;
    const size = `${spec.sizeGiB}G`;
    const tmp = `${target}.creating`;
    if (spec.sourceSnapshotId) {
      const snapshot = this.snapshotFile(spec.sourceSnapshotId);
      if (!snapshot) throw new DriverError('not_found', 'createVolume', `no snapshot ${spec.sourceSnapshotId}`);
      await this.run('createVolume', 'qemu-img', ['convert', '-O', 'qcow2', snapshot, tmp]);
      await this.run('createVolume', 'qemu-img', ['resize', '-q', tmp, size]);
    } else if (spec.sourceImage) {
      const base = spec.sourceImage.endsWith('.qcow2') ? spec.sourceImage : path.join(spec.sourceImage, 'base.qcow2');
      if (!fs.existsSync(base)) throw new DriverError('invalid', 'createVolume', `image ${spec.sourceImage} has no base disk`);
      await this.run('createVolume', 'qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', tmp, size]);
    } else {
      await this.run('createVolume', 'qemu-img', ['create', '-q', '-f', 'qcow2', tmp, size]);
    }
    fs.renameSync(tmp, target);
  }

  async extendVolume(volumeId: string, sizeGiB: number): Promise<void> {
    const file = this.volumePath(volumeId);
    if (!fs.existsSync(file)) throw new DriverError('not_found', 'extendVolume', `no volume ${volumeId}`);
    if (this.sizeGiB(file) >= sizeGiB) return; // grown already (a retried step)
    await this.run('extendVolume', 'qemu-img', ['resize', '-q', file, `${sizeGiB}G`]);
  }

  async deleteVolume(volumeId: string): Promise<void> {
    const attachedTo = (await this.attachments()).get(this.volumePath(volumeId));
    if (attachedTo) throw new DriverError('invalid', 'deleteVolume', `${volumeId} is attached to ${attachedTo.instanceId}`);
    fs.rmSync(this.volumePath(volumeId), { force: true });
  }

  async snapshot(volumeId: string, snapshotId: string): Promise<void> {
    await this.ensurePool();
    if (this.snapshotFile(snapshotId)) return;
    const source = this.volumePath(volumeId);
    if (!fs.existsSync(source)) throw new DriverError('not_found', 'snapshot', `no volume ${volumeId}`);
    fs.mkdirSync(this.snapshotDir, { recursive: true });
    const target = path.join(this.snapshotDir, `${snapshotId}@${volumeId}.qcow2`);
    // -U: the volume may be attached to a running guest (the copy is then crash-consistent).
    await this.run('snapshot', 'qemu-img', ['convert', '-U', '-O', 'qcow2', source, `${target}.creating`]);
    fs.renameSync(`${target}.creating`, target);
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    const file = this.snapshotFile(snapshotId);
    if (file) fs.rmSync(file, { force: true });
  }

  async listSnapshots(): Promise<ActualSnapshot[]> {
    if (!fs.existsSync(this.snapshotDir)) return [];
    return fs
      .readdirSync(this.snapshotDir)
      .map((f) => /^(.+)@(.+)\.qcow2$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ snapshotId: m[1], volumeId: m[2] }));
  }

  async attach(volumeId: string, instanceId: string): Promise<string> {
    const file = this.volumePath(volumeId);
    if (!fs.existsSync(file)) throw new DriverError('not_found', 'attach', `no volume ${volumeId}`);
    const current = (await this.attachments()).get(file);
    if (current?.instanceId === instanceId) return current.device;
    if (current) throw new DriverError('invalid', 'attach', `${volumeId} is attached to ${current.instanceId}`);
    const taken = new Set((await this.disksOf(instanceId)).map((d) => d.target));
    const device = DEVICES.find((d) => !taken.has(d));
    if (!device) throw new DriverError('invalid', 'attach', `no free device on ${instanceId}`);
    await this.run('attach', 'virsh', [
      '-c',
      this.settings.uri,
      'attach-disk',
      domainName(instanceId),
      file,
      device,
      '--driver',
      'qemu',
      '--subdriver',
      'qcow2',
      '--targetbus',
      'virtio',
      '--persistent',
    ]);
    return device;
  }

  async detach(volumeId: string, instanceId: string): Promise<void> {
    const file = this.volumePath(volumeId);
    const disk = (await this.disksOf(instanceId)).find((d) => d.source === file);
    if (!disk) return;
    await this.run('detach', 'virsh', ['-c', this.settings.uri, 'detach-disk', domainName(instanceId), disk.target, '--persistent']);
    // A live detach completes when the guest lets go of the device (ACPI hotplug): wait for it.
    for (let i = 0; i < 100; i++) {
      if (!(await this.disksOf(instanceId)).some((d) => d.source === file)) return;
      await sleep(100);
    }
    throw new DriverError('transient', 'detach', `${volumeId} is still attached to ${instanceId}`);
  }

  async list(): Promise<ActualVolume[]> {
    if (!fs.existsSync(this.settings.dir)) return [];
    const attached = await this.attachments();
    return fs
      .readdirSync(this.settings.dir)
      .filter((f) => f.endsWith('.qcow2'))
      .map((f) => {
        const file = path.join(this.settings.dir, f);
        const at = attached.get(file);
        return { volumeId: f.slice(0, -'.qcow2'.length), sizeGiB: this.sizeGiB(file), attachedTo: at?.instanceId ?? null, device: at?.device ?? null };
      });
  }

  private sizeGiB(file: string): number {
    // The virtual size is in the qcow2 header (bytes 24-31), so no qemu-img call per volume.
    const fd = fs.openSync(file, 'r');
    try {
      const header = Buffer.alloc(32);
      fs.readSync(fd, header, 0, 32, 0);
      return Number(header.readBigUInt64BE(24) / 1024n ** 3n);
    } finally {
      fs.closeSync(fd);
    }
  }

  private snapshotFile(snapshotId: string): string | null {
    if (!fs.existsSync(this.snapshotDir)) return null;
    const name = fs.readdirSync(this.snapshotDir).find((f) => f.startsWith(`${snapshotId}@`) && f.endsWith('.qcow2'));
    return name ? path.join(this.snapshotDir, name) : null;
  }

  /** Volume file -> the guest it is attached to (as a non-root disk) and its device, over every orchestrator domain. */
  private async attachments(): Promise<Map<string, { instanceId: string; device: string }>> {
    const { stdout } = await this.run('list', 'virsh', ['-c', this.settings.uri, 'list', '--all', '--name']);
    const result = new Map<string, { instanceId: string; device: string }>();
    for (const name of stdout.split('\n').map((l) => l.trim())) {
      const instanceId = instanceOfDomain(name);
      if (!instanceId) continue;
      for (const d of await this.disksOf(instanceId)) if (d.target !== 'vda' && d.target !== 'vdz') result.set(d.source, { instanceId, device: d.target });
    }
    return result;
  }

  private async disksOf(instanceId: string): Promise<Array<{ target: string; source: string }>> {
    try {
      const { stdout } = await runCommand('virsh', ['-c', this.settings.uri, 'domblklist', domainName(instanceId)]);
      return stdout
        .split('\n')
        .slice(2)
        .map((l) => /^\s*(\S+)\s+(\S+)\s*$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ target: m[1], source: m[2] }));
    } catch (error) {
      if (error instanceof CommandFailed && /failed to get domain|Domain not found/.test(error.stderr)) return [];
      throw error;
    }
  }

  private ensurePool(): Promise<void> {
    this.ready ??= (async () => {
      fs.mkdirSync(this.settings.dir, { recursive: true });
      const { stdout } = await this.run('pool', 'virsh', ['-c', this.settings.uri, 'pool-list', '--all', '--name']);
      if (!stdout.split('\n').some((l) => l.trim() === this.settings.pool)) {
        await this.run('pool', 'virsh', ['-c', this.settings.uri, 'pool-define-as', this.settings.pool, 'dir', '--target', this.settings.dir]);
      }
      await this.run('pool', 'virsh', ['-c', this.settings.uri, 'pool-start', this.settings.pool]).catch((error: unknown) => {
        if (!/already active/.test(String(error))) throw error;
      });
    })().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private async run(operation: string, file: string, args: string[]) {
    try {
      return await runCommand(file, args, { timeoutMs: 300_000 });
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error;
      throw new DriverError(/failed to connect/.test(error.stderr) ? 'unreachable' : 'transient', operation, error.stderr.trim() || error.message);
    }
  }
}
