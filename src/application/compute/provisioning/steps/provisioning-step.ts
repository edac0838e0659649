import { Present } from '../instance-records';

/** One step of an instance's provisioning, chosen from its state (see ProvisioningSteps); it ends by recording the transition it made. */
export interface ProvisioningStep {
  run(instance: Present): Promise<void>;
}
