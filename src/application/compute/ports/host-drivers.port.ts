import { HostDriver } from '../../../domain/compute/host/host.decider';
import { BlockStorageDriver } from '../../storage/ports/block-storage-driver.port';
import { SwitchDriver } from '../../network/ports/switch-driver.port';
import { HypervisorDriver } from './hypervisor-driver.port';

export type HostRef = { hostId: string; driver: HostDriver; uri: string | null };

/** The drivers of each host (by its driver kind and URI), and the block storage backend. */
export interface HostDrivers {
  hypervisor(host: HostRef): HypervisorDriver;
  switch(host: HostRef): SwitchDriver;
  storage(): BlockStorageDriver;
}
export const HOST_DRIVERS = Symbol('HostDrivers');
