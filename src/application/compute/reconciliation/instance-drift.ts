import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../../domain/compute/instance/instance.decider';
import { PowerState } from '../../../domain/compute/instance/instance-states';
import { DomainError } from '../../../domain/shared/domain-error';
import { CommandExecutor } from '../../shared/command-executor';
import { HostView } from '../ports/compute-read-model.port';
import { InstanceView } from '../ports/instance-read-model.port';
import { HYPERVISORS, HypervisorDrivers, hostRef } from '../ports/hypervisor-drivers.port';
import { RECONCILER_SETTINGS, ReconcilerSettings } from './reconciler.settings';
import { NO_WAIT, reconcilerContext } from './reconciler-context';

/**
 * An instance at rest against its domain on the host: a missing domain puts it in error
 * (InstanceLost, resources kept until it is deleted, as in Nova); power drift is recorded
 * (InstancePowerStateDrifted) and then accepted or restored per policy. Work in progress is the
 * provisioning worker's, never touched here.
 */
@Injectable()
export class InstanceDrift {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(HYPERVISORS) private readonly hypervisors: HypervisorDrivers,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
  ) {}

  async reconcile(host: HostView, instance: InstanceView, observed: PowerState | undefined): Promise<void> {
    if (instance.taskState !== null || (instance.state !== 'active' && instance.state !== 'stopped')) return;
    const stream = instanceStream(instance.id);
    const ctx = reconcilerContext(host.id);
    const now = this.executor.now();
    try {
      if (observed === undefined) {
        await this.executor.execute(instanceDecider, stream, { type: 'RecordLost', reason: `The domain is missing on host ${host.name}`, now }, ctx, NO_WAIT);
        return;
      }
      if (observed === instance.powerState) return; // as the books say (a lagging read model only defers this to the next pass)
      const drift = await this.executor.execute(instanceDecider, stream, { type: 'RecordPowerState', observed, now }, ctx, NO_WAIT);
      if (drift.events.length === 0) return;
      if (instance.state === 'active') {
        // Running in our books, not on the host: accept it (Nova's default) or bring it back.
        const command =
          this.settings.powerDriftPolicy === 'restore' ? ({ type: 'Reboot', rebootType: 'hard', now } as const) : ({ type: 'Stop', now } as const);
        await this.executor.execute(instanceDecider, stream, command, ctx, NO_WAIT);
      } else {
        // Stopped in our books but running on the host: stop the guest.
        await this.hypervisors.hypervisor(hostRef(host)).shutdown(instance.id, 30_000);
      }
    } catch (error) {
      if (error instanceof DomainError) return; // a user action got there first; the next pass looks again
      throw error;
    }
  }
}
