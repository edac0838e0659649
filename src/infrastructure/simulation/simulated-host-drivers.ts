import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostRef } from '../../application/compute/ports/hypervisor-drivers.port';
import { HostDrivers } from '../drivers/host-drivers';
import { DriverError } from '../../application/shared/driver-error';
import { SimulatedHypervisor } from '../hypervisor/simulated/simulated-hypervisor';
import { SimulatedBlockStorage } from '../storage/simulated/simulated-block-storage';
import { SimulatedSwitch } from '../switch/simulated/simulated-switch';
import { SimulationSettings } from './simulation';

type SavedState = {
  hypervisors: Record<string, ReturnType<SimulatedHypervisor['exportState']>>;
  switches: Record<string, ReturnType<SimulatedSwitch['exportState']>>;
  storage: ReturnType<SimulatedBlockStorage['exportState']>;
};

/**
 * Simulated drivers per host, created on first use; one simulated storage backend (hosts
 * registered with `driver: "libvirt"` get the real drivers, see ConfiguredHostDrivers).
 *
 * With a state file, the simulated hosts' actual state outlives the orchestrator process, as a
 * real host's would: every change is written (atomically) before the driver call returns, and
 * read back at start. Without one it lives in memory only.
 */
export class SimulatedHostDrivers implements HostDrivers {
  private readonly hypervisors = new Map<string, SimulatedHypervisor>();
  private readonly switches = new Map<string, SimulatedSwitch>();
  private readonly blockStorage: SimulatedBlockStorage;
  private readonly saved: SavedState | null;

  constructor(
    private readonly settings: SimulationSettings = {},
    private readonly stateFile: string | null = null,
  ) {
    this.saved = stateFile && fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as SavedState) : null;
    this.blockStorage = new SimulatedBlockStorage(settings);
    if (this.saved) this.blockStorage.importState(this.saved.storage);
    this.blockStorage.onChange = () => this.save();
  }

  hypervisor(host: HostRef): SimulatedHypervisor {
    this.requireSimulated(host);
    let driver = this.hypervisors.get(host.hostId);
    if (!driver) {
      driver = new SimulatedHypervisor({ ...this.settings, seed: this.hypervisors.size + 1 });
      const saved = this.saved?.hypervisors[host.hostId];
      if (saved) driver.importState(saved);
      driver.onChange = () => this.save();
      this.hypervisors.set(host.hostId, driver);
    }
    return driver;
  }

  switch(host: HostRef): SimulatedSwitch {
    this.requireSimulated(host);
    let driver = this.switches.get(host.hostId);
    if (!driver) {
      driver = new SimulatedSwitch(this.settings);
      const saved = this.saved?.switches[host.hostId];
      if (saved) driver.importState(saved);
      driver.onChange = () => this.save();
      this.switches.set(host.hostId, driver);
    }
    return driver;
  }

  storage(): SimulatedBlockStorage {
    return this.blockStorage;
  }

  private save(): void {
    if (!this.stateFile) return;
    const state: SavedState = {
      hypervisors: { ...this.saved?.hypervisors, ...Object.fromEntries([...this.hypervisors].map(([id, d]) => [id, d.exportState()])) },
      switches: { ...this.saved?.switches, ...Object.fromEntries([...this.switches].map(([id, d]) => [id, d.exportState()])) },
      storage: this.blockStorage.exportState(),
    };
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.stateFile);
  }

  private requireSimulated(host: HostRef): void {
    if (host.driver !== 'simulated') throw new DriverError('invalid', 'connect', `host ${host.hostId} is not simulated`);
  }
}
