import { Injectable } from '@nestjs/common';
import { workOf } from '../../../domain/compute/instance/instance-lifecycle';
import { InstanceWork } from '../../../domain/compute/instance/instance.events';
import { Present } from './instance-records';
import { ActivateStep } from './steps/activate.step';
import { DeleteStep } from './steps/delete.step';
import { GiveBackStep } from './steps/give-back.step';
import { NetworkStep } from './steps/network.step';
import { ProvisioningStep } from './steps/provisioning-step';
import { RebootStep } from './steps/reboot.step';
import { RootVolumeStep } from './steps/root-volume.step';
import { ScheduleStep } from './steps/schedule.step';
import { SpawnStep } from './steps/spawn.step';
import { StartStep } from './steps/start.step';
import { StopStep } from './steps/stop.step';

/** How a step's work is named in failures (what the user reads in the operation). */
export const WORK_LABELS: Record<InstanceWork, string> = {
  scheduling: 'Scheduling',
  networking: 'Networking',
  block_device_mapping: 'Root volume',
  spawning: 'Spawning',
  powering_off: 'Stop',
  powering_on: 'Start',
  rebooting: 'Reboot',
  rebooting_hard: 'Reboot',
  deleting: 'Delete',
  releasing: 'Giving back',
};

/** The step an instance's state calls for: its task, or giving back what a failed build held; none when it is at rest. */
@Injectable()
export class ProvisioningSteps {
  private readonly table: Record<InstanceWork, ProvisioningStep>;

  constructor(
    schedule: ScheduleStep,
    network: NetworkStep,
    rootVolume: RootVolumeStep,
    spawn: SpawnStep,
    stop: StopStep,
    start: StartStep,
    reboot: RebootStep,
    remove: DeleteStep,
    giveBack: GiveBackStep,
  ) {
    this.table = {
      scheduling: schedule,
      networking: network,
      block_device_mapping: rootVolume,
      spawning: spawn,
      powering_off: stop,
      powering_on: start,
      rebooting: reboot,
      rebooting_hard: reboot,
      deleting: remove,
      releasing: giveBack,
    };
  }

  for(s: Present): ProvisioningStep | null {
    const work = workOf(s);
    return work === null ? null : this.table[work];
  }
}

/** Every step, for the module that provides them. */
export const PROVISIONING_STEP_PROVIDERS = [
  ScheduleStep,
  NetworkStep,
  RootVolumeStep,
  SpawnStep,
  ActivateStep,
  StopStep,
  StartStep,
  RebootStep,
  DeleteStep,
  GiveBackStep,
  ProvisioningSteps,
];
