import { Injectable } from '@nestjs/common';
import { InstanceRecords, Present } from '../instance-records';
import { ReleaseResources } from '../release-resources';
import { ProvisioningStep } from './provisioning-step';

/** A failed build gives back everything it held (the compensation of every step before), then says so. */
@Injectable()
export class GiveBackStep implements ProvisioningStep {
  constructor(
    private readonly records: InstanceRecords,
    private readonly resources: ReleaseResources,
  ) {}

  async run(s: Present): Promise<void> {
    await this.resources.release(s);
    await this.records.record(s, { type: 'RecordResourcesReleased', now: this.records.now() });
  }
}
