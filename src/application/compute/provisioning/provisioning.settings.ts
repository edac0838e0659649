import { Weigher } from '../../../domain/compute/host/scheduler';

export type ProvisioningSettings = {
  /** How long a guest may take from start to ready. */
  spawnTimeoutMs: number;
  /** How long a spawn waits for its host's hypervisor to answer again (libvirtd restarting) before trying another host. */
  hostUnreachableGraceMs: number;
  /** Spawn attempts on different hosts before the instance goes to error (Nova: 3). */
  maxAttempts: number;
  /** Graceful shutdown before the guest is destroyed. */
  shutdownTimeoutMs: number;
  /** How long a soft reboot may take before a hard one takes over. */
  softRebootTimeoutMs: number;
  /** Instances driven at the same time. */
  concurrency: number;
  weigher: Weigher;
};
export const PROVISIONING_SETTINGS = Symbol('ProvisioningSettings');
