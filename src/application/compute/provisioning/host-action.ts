import { Inject, Injectable } from '@nestjs/common';
import { TRACING, Tracing } from '../../ports/tracing.port';
import { isFinal } from '../../shared/driver-error';
import { HostDirectory } from '../host-directory';
import { HypervisorDriver } from '../ports/hypervisor-driver.port';
import { HYPERVISORS, HostRef, HypervisorDrivers, hostRef } from '../ports/hypervisor-drivers.port';
import { InstanceRecords, Present } from './instance-records';

/** A soft reboot that did not come back in time: Nova's fallback is a hard one. */
export class SoftRebootTimedOut extends Error {}

/**
 * A stop, start or reboot on the instance's host, recorded as `done` once carried out. A driver
 * error that retrying cannot mend records the action as failed (the instance stays as it was);
 * others are thrown: retried, and given up on into the same failure after the work settings'
 * bound, while a host that cannot be reached is waited for.
 */
@Injectable()
export class HostAction {
  constructor(
    private readonly records: InstanceRecords,
    private readonly hosts: HostDirectory,
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  async run(
    s: Present,
    act: (hv: HypervisorDriver, host: HostRef) => Promise<void>,
    done: 'RecordStopped' | 'RecordStarted' | 'RecordRebooted',
  ): Promise<void> {
    const host = await this.hosts.hostOf(s.hostId);
    const now = () => this.records.now();
    if (!host) return void (await this.records.record(s, { type: 'RecordActionFailed', reason: 'the instance has no host', now: now() }));
    try {
      const ref = hostRef(host, this.tracing.traceOf(s.instanceId));
      await act(this.hypervisors.hypervisor(ref), ref);
    } catch (error) {
      if (error instanceof SoftRebootTimedOut) return void (await this.records.record(s, { type: 'Reboot', rebootType: 'hard', now: now() }));
      if (isFinal(error)) return void (await this.records.record(s, { type: 'RecordActionFailed', reason: error.message, now: now() }));
      throw error;
    }
    await this.records.record(s, { type: done, now: now() });
  }
}
