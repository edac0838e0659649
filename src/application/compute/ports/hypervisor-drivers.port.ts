import { HostDriver } from '../../../domain/compute/host/host.decider';
import { HypervisorDriver } from './hypervisor-driver.port';

/**
 * What a driver needs to know of a host: its id, the kind of driver it was registered with, its
 * URI; and, with tracing on, the trace its calls are made for (each call then a span of it).
 */
export type HostRef = { hostId: string; driver: HostDriver; uri: string | null; trace?: string };

/** The one way to make a host's driver reference. */
export const hostRef = (host: { id: string; driver: HostDriver; uri: string | null }, trace?: string): HostRef =>
  trace ? { hostId: host.id, driver: host.driver, uri: host.uri, trace } : { hostId: host.id, driver: host.driver, uri: host.uri };

/** Each host's hypervisor, by its driver kind and URI. */
export interface HypervisorDrivers {
  hypervisor(host: HostRef): HypervisorDriver;
}
export const HYPERVISORS = Symbol('HypervisorDrivers');
