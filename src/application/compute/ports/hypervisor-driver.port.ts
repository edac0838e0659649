import { PowerState } from '../../../domain/compute/instance/instance-states';

/** A NIC as the hypervisor sees it: plugged into the host's integration bridge with a VLAN tag. */
export type DomainNic = { portId: string; mac: string; ip: string; prefix: number; gateway: string | null; vlan: number };

/** Everything needed to define a guest (libvirt: the domain XML; uuid = instance id). */
export type DomainSpec = {
  instanceId: string;
  hostname: string;
  vcpus: number;
  ramMiB: number;
  /** The image to boot (a path or URL for real drivers; free text for the simulated one). */
  imageSource: string;
  rootVolumeId: string | null;
  nics: DomainNic[];
  sshPublicKey: string | null;
  userData: string | null;
};

export type ActualDomain = { instanceId: string; powerState: PowerState };

/** What `virsh event --loop --all` reports, reduced to what the orchestrator acts on. */
export type LifecycleEvent = { instanceId: string; kind: 'started' | 'stopped' | 'crashed' | 'rebooted' | 'undefined'; at: string };

/**
 * One hypervisor host (libvirt: one connection URI). Every call is idempotent: defining what is
 * defined, starting what runs, destroying what is off or undefining what is gone succeeds.
 */
export interface HypervisorDriver {
  define(spec: DomainSpec): Promise<void>;
  /**
   * Starts the guest; with `paused`, its CPUs wait for resume() (as Nova waits for the network to be
   * plugged: the guest's NICs exist then, and it never runs unplugged).
   */
  start(instanceId: string, options?: { paused?: boolean }): Promise<void>;
  /** Lets a guest started paused run (a running one stays as it is). */
  resume(instanceId: string): Promise<void>;
  /** ACPI shutdown; if the guest is still running after `timeoutMs`, destroy it. */
  shutdown(instanceId: string, timeoutMs: number): Promise<'graceful' | 'forced'>;
  destroy(instanceId: string): Promise<void>;
  reboot(instanceId: string, type: 'soft' | 'hard'): Promise<void>;
  undefine(instanceId: string): Promise<void>;
  /** Resolves true once the guest is running and ready (libvirt: its ready marker on the console). */
  waitUntilReady(instanceId: string, timeoutMs: number): Promise<boolean>;
  list(): Promise<ActualDomain[]>;
  /** The end of the guest's serial console (at most `maxBytes`); empty for a guest with none (simulated, unknown). */
  consoleOutput(instanceId: string, maxBytes: number): Promise<string>;
  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  onLifecycle(listener: (event: LifecycleEvent) => void): () => void;
}
