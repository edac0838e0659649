import { HypervisorDrivers } from '../../application/compute/ports/hypervisor-drivers.port';
import { SwitchDrivers } from '../../application/network/ports/switch-drivers.port';
import { BlockStorageDriver } from '../../application/storage/ports/block-storage-driver.port';

/** All the drivers of a process: each host's hypervisor and switch, and the block storage; the contexts' driver ports are bound to it. */
export interface HostDrivers extends HypervisorDrivers, SwitchDrivers {
  storage(): BlockStorageDriver;
}
export const HOST_DRIVERS = Symbol('HostDrivers');
