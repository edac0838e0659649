import { assertNever } from '../../shared/decider';
import { Attachment, InstanceEvent, InstanceWork } from './instance.events';
import { PowerState, TaskState, VmState } from './instance-states';

/** A step failing and retried since `since`, with its last error. */
export type Retrying = { work: InstanceWork; reason: string; waiting: boolean; since: string };

/** What an instance's events change after its request: the part of its state a read model keeps too. */
export type InstanceLifecycle = {
  vmState: VmState;
  taskState: TaskState;
  powerState: PowerState;
  hostId: string | null;
  attachments: Attachment[];
  rootVolumeId: string | null;
  failure: string | null;
  /** True from a failed build until everything it held has been given back. */
  releasePending: boolean;
  retrying: Retrying | null;
};

export const requestedLifecycle = (): InstanceLifecycle => ({
  vmState: 'building',
  taskState: 'scheduling',
  powerState: 'nostate',
  hostId: null,
  attachments: [],
  rootVolumeId: null,
  failure: null,
  releasePending: false,
  retrying: null,
});

/** The work left on an instance in this lifecycle, if any. */
export function workOf(l: Pick<InstanceLifecycle, 'vmState' | 'taskState' | 'releasePending'>): InstanceWork | null {
  if (l.vmState === 'deleted') return null;
  if (l.taskState !== null) return l.taskState;
  return l.vmState === 'error' && l.releasePending ? 'releasing' : null;
}

/**
 * The lifecycle after one event (every event but the request, which starts it). Generic in what
 * else the state holds, so the aggregate and a read-model row fold through the same function.
 */
export function evolveLifecycle<L extends InstanceLifecycle>(l: L, event: Exclude<InstanceEvent, { type: 'InstanceRequested' }>): L {
  // Metadata, tags and security groups are no part of the lifecycle (and no progress of a step).
  if (event.type === 'InstanceMetadataChanged' || event.type === 'InstanceTagsChanged' || event.type === 'InstanceSecurityGroupsChanged') return l;
  // Any progress ends a retrying step; a retry report starts or updates it.
  const s: L = event.type === 'InstanceStepRetrying' ? l : { ...l, retrying: null };
  switch (event.type) {
    case 'InstanceStepRetrying': {
      const { work, reason, waiting, at } = event.data;
      const since = l.retrying?.work === work ? l.retrying.since : at;
      return { ...l, retrying: { work, reason, waiting, since } };
    }
    case 'InstanceScheduled':
      return { ...s, hostId: event.data.hostId, taskState: 'networking' };
    case 'InstanceNetworked':
      return { ...s, attachments: event.data.attachments, taskState: 'block_device_mapping' };
    case 'InstanceRootVolumeReady':
      return { ...s, rootVolumeId: event.data.volumeId, taskState: 'spawning' };
    case 'InstanceSpawnFailed':
      // Back to scheduling: the saga either picks another host or gives up (InstanceFailed).
      return { ...s, hostId: null, taskState: 'scheduling', failure: event.data.reason };
    case 'InstanceActivated':
      return { ...s, vmState: 'active', taskState: null, powerState: 'running', failure: null };
    case 'InstanceFailed':
      return { ...s, vmState: 'error', taskState: null, failure: event.data.reason, releasePending: true };
    case 'InstanceLost':
      // Nothing to give back automatically: the user decides (delete, or later rebuild).
      return { ...s, vmState: 'error', taskState: null, powerState: 'nostate', failure: event.data.reason };
    case 'InstanceActionFailed':
      return { ...s, taskState: null, failure: event.data.reason };
    case 'InstanceResourcesReleased':
      return { ...s, releasePending: false, hostId: null, attachments: [], rootVolumeId: null };
    case 'InstanceCleanupFailed':
      return { ...s, vmState: 'error', taskState: null, releasePending: false, failure: event.data.reason };
    case 'InstanceStopRequested':
      return { ...s, taskState: 'powering_off' };
    case 'InstanceStopped':
      return { ...s, vmState: 'stopped', taskState: null, powerState: 'shutdown' };
    case 'InstanceStartRequested':
      return { ...s, taskState: 'powering_on' };
    case 'InstanceStarted':
      return { ...s, vmState: 'active', taskState: null, powerState: 'running' };
    case 'InstanceRebootRequested':
      return { ...s, taskState: event.data.rebootType === 'hard' ? 'rebooting_hard' : 'rebooting' };
    case 'InstanceRebooted':
      return { ...s, vmState: 'active', taskState: null, powerState: 'running' };
    case 'InstanceDeleteRequested':
      return { ...s, taskState: 'deleting' };
    case 'InstanceDeleted':
      return { ...s, vmState: 'deleted', taskState: null, powerState: 'nostate', hostId: null, releasePending: false };
    case 'InstancePowerStateDrifted':
      return { ...s, powerState: event.data.observed };
    default:
      return assertNever(event);
  }
}
