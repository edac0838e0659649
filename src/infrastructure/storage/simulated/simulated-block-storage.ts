import { ActualSnapshot, ActualVolume, BlockStorageDriver, VolumeSpec } from '../../../application/storage/ports/block-storage-driver.port';
import { DriverError } from '../../../application/shared/driver-error';
import { Simulation, SimulationSettings } from '../../simulation/simulation';

/** In-memory volumes and snapshots with their own actual state. A snapshot outlives its volume, as a copy would. */
export class SimulatedBlockStorage implements BlockStorageDriver {
  readonly simulation: Simulation;
  private readonly volumes = new Map<string, ActualVolume>();
  private readonly snapshots = new Map<string, string>();

  onChange: () => void = () => undefined;

  constructor(settings: SimulationSettings = {}) {
    this.simulation = new Simulation(settings);
  }

  exportState(): { volumes: ActualVolume[]; snapshots: Array<[string, string]> } {
    return { volumes: [...this.volumes.values()], snapshots: [...this.snapshots.entries()] };
  }

  /** Replaces the actual state with `state` (as exported). */
  importState(state: { volumes: ActualVolume[]; snapshots: Array<[string, string]> }): void {
    this.volumes.clear();
    this.snapshots.clear();
    for (const v of state.volumes) this.volumes.set(v.volumeId, v);
    for (const [id, source] of state.snapshots) this.snapshots.set(id, source);
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.simulation.operation('createVolume');
    if (spec.sourceSnapshotId && !this.snapshots.has(spec.sourceSnapshotId))
      throw new DriverError('not_found', 'createVolume', `no snapshot ${spec.sourceSnapshotId}`);
    if (!this.volumes.has(spec.volumeId)) this.volumes.set(spec.volumeId, { volumeId: spec.volumeId, sizeGiB: spec.sizeGiB, attachedTo: null, device: null });
    this.onChange();
  }

  async extendVolume(volumeId: string, sizeGiB: number): Promise<void> {
    await this.simulation.operation('extendVolume');
    const volume = this.volumes.get(volumeId);
    if (!volume) throw new DriverError('not_found', 'extendVolume', `no volume ${volumeId}`);
    volume.sizeGiB = Math.max(volume.sizeGiB, sizeGiB);
    this.onChange();
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await this.simulation.operation('deleteVolume');
    const volume = this.volumes.get(volumeId);
    if (volume?.attachedTo) throw new DriverError('invalid', 'deleteVolume', `${volumeId} is attached to ${volume.attachedTo}`);
    this.volumes.delete(volumeId);
    this.onChange();
  }

  async snapshot(volumeId: string, snapshotId: string): Promise<void> {
    await this.simulation.operation('snapshot');
    if (!this.volumes.has(volumeId)) throw new DriverError('not_found', 'snapshot', `no volume ${volumeId}`);
    this.snapshots.set(snapshotId, volumeId);
    this.onChange();
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await this.simulation.operation('deleteSnapshot');
    this.snapshots.delete(snapshotId);
    this.onChange();
  }

  async listSnapshots(): Promise<ActualSnapshot[]> {
    await this.simulation.operation('listSnapshots');
    return [...this.snapshots.entries()].map(([snapshotId, volumeId]) => ({ snapshotId, volumeId }));
  }

  async attach(volumeId: string, instanceId: string): Promise<string> {
    await this.simulation.operation('attach');
    const volume = this.volumes.get(volumeId);
    if (!volume) throw new DriverError('not_found', 'attach', `no volume ${volumeId}`);
    if (volume.attachedTo === instanceId && volume.device) return volume.device;
    if (volume.attachedTo) throw new DriverError('invalid', 'attach', `${volumeId} is attached to ${volume.attachedTo}`);
    const taken = new Set([...this.volumes.values()].filter((v) => v.attachedTo === instanceId).map((v) => v.device));
    const device = ['vdb', 'vdc', 'vdd', 'vde', 'vdf', 'vdg', 'vdh'].find((d) => !taken.has(d));
    if (!device) throw new DriverError('invalid', 'attach', `no free device on ${instanceId}`);
    volume.attachedTo = instanceId;
    volume.device = device;
    this.onChange();
    return device;
  }

  async detach(volumeId: string, instanceId: string): Promise<void> {
    await this.simulation.operation('detach');
    const volume = this.volumes.get(volumeId);
    if (!volume || volume.attachedTo !== instanceId) return;
    volume.attachedTo = null;
    volume.device = null;
    this.onChange();
  }

  async list(): Promise<ActualVolume[]> {
    await this.simulation.operation('list');
    return [...this.volumes.values()].map((v) => ({ ...v }));
  }
}
