import { Injectable } from '@nestjs/common';
import { InstanceRecords, Present } from '../instance-records';
import { ReleaseResources } from '../release-resources';
import { ProvisioningStep } from './provisioning-step';

/** Terminates the instance: everything given back, then deleted. */
@Injectable()
export class DeleteStep implements ProvisioningStep {
  constructor(
    private readonly records: InstanceRecords,
    private readonly resources: ReleaseResources,
  ) {}

  async run(s: Present): Promise<void> {
    await this.resources.release(s);
    await this.records.record(s, { type: 'RecordDeleted', now: this.records.now() });
  }
}
