import { Injectable } from '@nestjs/common';
import { NetworkAttachments } from '../../../network/public';
import { InstanceRecords, Present } from '../instance-records';
import { ProvisioningStep } from './provisioning-step';

/** A spawned guest is ready: its ports are bound to it on its host, and it is active. */
@Injectable()
export class ActivateStep implements ProvisioningStep {
  constructor(
    private readonly records: InstanceRecords,
    private readonly networks: NetworkAttachments,
  ) {}

  async run(s: Present): Promise<void> {
    if (s.hostId) await this.networks.bind(s.attachments, s.instanceId, s.hostId, this.records.ctx(s));
    await this.records.record(s, { type: 'RecordRunning', now: this.records.now() });
  }
}
