import { Inject, Injectable } from '@nestjs/common';
import { NetworkAttachments } from '../../../network/public';
import { DriverError } from '../../../shared/driver-error';
import { HostAction } from '../host-action';
import { Present } from '../instance-records';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from '../provisioning.settings';
import { ProvisioningStep } from './provisioning-step';

/** Starts a stopped guest as a spawn does: paused, plugged (a started guest has new taps), then let run until ready. */
@Injectable()
export class StartStep implements ProvisioningStep {
  constructor(
    private readonly action: HostAction,
    private readonly networks: NetworkAttachments,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
  ) {}

  run(s: Present): Promise<void> {
    return this.action.run(
      s,
      async (hv, host) => {
        await hv.start(s.instanceId, { paused: true });
        await this.networks.plug(host, s.instanceId, s.attachments, s.request.securityGroups);
        await hv.resume(s.instanceId);
        if (!(await hv.waitUntilReady(s.instanceId, this.settings.spawnTimeoutMs)))
          throw new DriverError('transient', 'start', 'the guest did not become ready');
      },
      'RecordStarted',
    );
  }
}
