import { Injectable } from '@nestjs/common';
import { NetworkAttachments } from '../../../network/public';
import { portsOf } from '../derived-ids';
import { InstanceRecords, Present } from '../instance-records';
import { ProvisioningStep } from './provisioning-step';

/** The instance's ports and addresses, from Network (ids derived from the instance's, so a retry makes the same ones; or ports made beforehand). */
@Injectable()
export class NetworkStep implements ProvisioningStep {
  constructor(
    private readonly records: InstanceRecords,
    private readonly networks: NetworkAttachments,
  ) {}

  async run(s: Present): Promise<void> {
    const requests = portsOf(s.instanceId, s.request.networks);
    const owner = { instanceId: s.instanceId, projectId: s.projectId, securityGroups: s.request.securityGroups };
    const result = await this.networks.allocate(owner, requests, this.records.ctx(s));
    if ('refused' in result) return this.records.fail(s, result.refused);
    await this.records.record(s, { type: 'RecordNetworked', attachments: result.attachments, now: this.records.now() });
  }
}
