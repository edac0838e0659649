import { HostDrivers, HostRef } from '../../application/compute/ports/host-drivers.port';
import { DriverError } from '../../application/shared/driver-error';
import { SimulatedHypervisor } from '../hypervisor/simulated/simulated-hypervisor';
import { SimulatedBlockStorage } from '../storage/simulated/simulated-block-storage';
import { SimulatedSwitch } from '../switch/simulated/simulated-switch';
import { SimulationSettings } from './simulation';

/**
 * Simulated drivers per host, created on first use; one simulated storage backend. Hosts
 * registered with `driver: "libvirt"` get a hypervisor that refuses every call until the libvirt
 * driver exists, so their instances fail (and are cleaned up) rather than pretend.
 */
export class SimulatedHostDrivers implements HostDrivers {
  private readonly hypervisors = new Map<string, SimulatedHypervisor>();
  private readonly switches = new Map<string, SimulatedSwitch>();
  private readonly blockStorage: SimulatedBlockStorage;

  constructor(private readonly settings: SimulationSettings = {}) {
    this.blockStorage = new SimulatedBlockStorage(settings);
  }

  hypervisor(host: HostRef): SimulatedHypervisor {
    this.requireSimulated(host);
    let driver = this.hypervisors.get(host.hostId);
    if (!driver) this.hypervisors.set(host.hostId, (driver = new SimulatedHypervisor({ ...this.settings, seed: this.hypervisors.size + 1 })));
    return driver;
  }

  switch(host: HostRef): SimulatedSwitch {
    this.requireSimulated(host);
    let driver = this.switches.get(host.hostId);
    if (!driver) this.switches.set(host.hostId, (driver = new SimulatedSwitch(this.settings)));
    return driver;
  }

  storage(): SimulatedBlockStorage {
    return this.blockStorage;
  }

  private requireSimulated(host: HostRef): void {
    if (host.driver !== 'simulated') throw new DriverError('invalid', 'connect', `the ${host.driver} driver is not available in this build`);
  }
}
