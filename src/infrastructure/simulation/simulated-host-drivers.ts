import * as fs from 'node:fs';
import * as path from 'node:path';
import { HostRef } from '../../application/compute/ports/hypervisor-drivers.port';
import { HostDrivers } from '../drivers/host-drivers';
import { DriverError } from '../../application/shared/driver-error';
import { sleep } from '../../application/shared/sleep';
import { SimulatedHypervisor } from '../hypervisor/simulated/simulated-hypervisor';
import { SimulatedBlockStorage } from '../storage/simulated/simulated-block-storage';
import { SimulatedSwitch } from '../switch/simulated/simulated-switch';
import { SharedStateFile } from './shared-state-file';
import { SimulationSettings } from './simulation';

/**
 * Simulated drivers per host, created on first use; one simulated storage backend (hosts
 * registered with `driver: "libvirt"` get the real drivers, see ConfiguredHostDrivers).
 *
 * With a state directory, the simulated hosts' actual state outlives the orchestrator process and
 * is shared by every process that drives them, as a real host's would be: one file per host's
 * hypervisor, per host's switch and for the block storage, each operation under that file's lock
 * (see SharedStateFile). Without one it lives in this process's memory only.
 */
export class SimulatedHostDrivers implements HostDrivers {
  private readonly hypervisors = new Map<string, SimulatedHypervisor>();
  private readonly switches = new Map<string, SimulatedSwitch>();
  private readonly blockStorage: SimulatedBlockStorage;

  constructor(
    private readonly settings: SimulationSettings = {},
    private readonly stateDir: string | null = null,
  ) {
    if (stateDir) fs.mkdirSync(stateDir, { recursive: true });
    this.blockStorage = this.shared(new SimulatedBlockStorage(settings), 'storage');
  }

  hypervisor(host: HostRef): SimulatedHypervisor {
    this.requireSimulated(host);
    let driver = this.hypervisors.get(host.hostId);
    if (!driver) {
      driver = this.shared(new SimulatedHypervisor({ ...this.settings, seed: this.hypervisors.size + 1 }), `hypervisor-${host.hostId}`);
      this.hypervisors.set(host.hostId, driver);
    }
    return driver;
  }

  switch(host: HostRef): SimulatedSwitch {
    this.requireSimulated(host);
    let driver = this.switches.get(host.hostId);
    if (!driver) {
      driver = this.shared(new SimulatedSwitch(this.settings), `switch-${host.hostId}`);
      this.switches.set(host.hostId, driver);
    }
    return driver;
  }

  storage(): SimulatedBlockStorage {
    return this.blockStorage;
  }

  /**
   * The driver itself without a state directory; with one, the driver whose every asynchronous
   * operation runs on the shared state. Waiting for a guest to be ready looks at the shared state
   * every 50 ms (another process may have started it) and never holds the lock while it waits.
   */
  private shared<D extends SimulatedHypervisor | SimulatedSwitch | SimulatedBlockStorage>(driver: D, unit: string): D {
    if (!this.stateDir) return driver;
    const file = new SharedStateFile(path.join(this.stateDir, `${unit}.json`), driver as unknown as ConstructorParameters<typeof SharedStateFile>[1]);
    return new Proxy(driver, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || value.constructor.name !== 'AsyncFunction') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        if (property === 'waitUntilReady')
          return (instanceId: string, timeoutMs: number) =>
            pollReady((ms) => file.transact(() => method.call(target, instanceId, ms) as Promise<boolean>), timeoutMs);
        return (...args: unknown[]) => file.transact(() => method.apply(target, args));
      },
    });
  }

  private requireSimulated(host: HostRef): void {
    if (host.driver !== 'simulated') throw new DriverError('invalid', 'connect', `host ${host.hostId} is not simulated`);
  }
}

async function pollReady(isReady: (waitMs: number) => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isReady(0)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
  }
}
