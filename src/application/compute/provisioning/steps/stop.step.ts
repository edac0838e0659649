import { Inject, Injectable } from '@nestjs/common';
import { HostAction } from '../host-action';
import { Present } from '../instance-records';
import { PROVISIONING_SETTINGS, ProvisioningSettings } from '../provisioning.settings';
import { ProvisioningStep } from './provisioning-step';

/** A graceful shutdown (destroyed after the timeout). */
@Injectable()
export class StopStep implements ProvisioningStep {
  constructor(
    private readonly action: HostAction,
    @Inject(PROVISIONING_SETTINGS) private readonly settings: ProvisioningSettings,
  ) {}

  run(s: Present): Promise<void> {
    return this.action.run(s, async (hv) => void (await hv.shutdown(s.instanceId, this.settings.shutdownTimeoutMs)), 'RecordStopped');
  }
}
