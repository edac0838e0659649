import { Inject, Injectable } from '@nestjs/common';
import { NetworkAttachments } from '../../network/public';
import { AppLogger, LOGGER } from '../../ports/logger.port';
import { TRACING, Tracing } from '../../ports/tracing.port';
import { DriverError } from '../../shared/driver-error';
import { HostView } from '../ports/compute-read-model.port';
import { HYPERVISORS, HypervisorDrivers, hostRef } from '../ports/hypervisor-drivers.port';
import { Present } from './instance-records';

/** Takes a guest off its host: destroyed, undefined, its ports unplugged. */
@Injectable()
export class GuestCleanup {
  constructor(
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
    private readonly networks: NetworkAttachments,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  /** An unreachable host is left to the reconciler, which finds what stays there as orphans. */
  async clean(s: Present, host: HostView): Promise<void> {
    const ref = hostRef(host, this.tracing.traceOf(s.instanceId));
    try {
      const hv = this.hypervisors.hypervisor(ref);
      await hv.destroy(s.instanceId);
      await hv.undefine(s.instanceId);
      await this.networks.unplug(
        ref,
        s.attachments.map((a) => a.portId),
      );
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      this.log.warnWith('could not clean the guest off its host; the reconciler will find it as an orphan', {
        instanceId: s.instanceId,
        host: host.name,
        error: error.message,
      });
    }
  }
}
