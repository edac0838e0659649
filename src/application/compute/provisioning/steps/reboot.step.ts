import { Inject, Injectable } from '@nestjs/common';
import { NetworkAttachments } from '../../../network/public';
import { DriverError } from '../../../shared/driver-error';
import { HostAction, SoftRebootTimedOut } from '../host-action';
import { Present } from '../instance-records';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from '../provisioning.settings';
import { ProvisioningStep } from './provisioning-step';

/** A soft reboot (ACPI; a hard one takes over if it hangs) or a hard one (a reset, or a start of a guest that was off). */
@Injectable()
export class RebootStep implements ProvisioningStep {
  constructor(
    private readonly action: HostAction,
    private readonly networks: NetworkAttachments,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
  ) {}

  run(s: Present): Promise<void> {
    const hard = s.taskState === 'rebooting_hard';
    return this.action.run(
      s,
      async (hv, host) => {
        await hv.reboot(s.instanceId, hard ? 'hard' : 'soft');
        if (hard) await this.networks.plug(host, s.instanceId, s.attachments, s.request.securityGroups); // a hard reboot of a guest that was off starts it: new taps
        const ready = await hv.waitUntilReady(s.instanceId, hard ? this.settings.spawnTimeoutMs : this.settings.softRebootTimeoutMs);
        if (!ready && !hard) throw new SoftRebootTimedOut();
        if (!ready) throw new DriverError('transient', 'reboot', 'the guest did not come back');
      },
      'RecordRebooted',
    );
  }
}
