import { DomainEvent } from '../../shared/decider';
import { PowerState, TaskState } from './instance-states';
import { MetadataChange } from '../../shared/metadata';
import { TagsChange } from './instance-details';

export type FlavorSpec = { flavorId: string; vcpus: number; ramMiB: number; diskGiB: number };
/** A network to be on; `portId` names a port made beforehand, which the instance takes and leaves behind when it goes. */
export type NetworkRequest = { networkId: string; ip?: string; portId?: string };
/**
 * How the root disk is had: made from the image (`sizeGiB`: other than the flavor's), or an existing
 * bootable volume (`volumeId`); kept when the instance goes unless `deleteOnTermination` (Nova's
 * block_device_mapping_v2 semantics). Absent: made from the image at the flavor's size, deleted with it.
 */
export type RootVolumeChoice = { volumeId?: string; sizeGiB?: number; deleteOnTermination: boolean };
export type Attachment = { portId: string; networkId: string; ip: string; mac: string };
export type RebootType = 'soft' | 'hard';
/** The work an instance has left: its task, or giving back what a failed build held. */
export type InstanceWork = Exclude<TaskState, null> | 'releasing';

export type InstanceEvent =
  | DomainEvent<
      'InstanceRequested',
      {
        instanceId: string;
        projectId: string;
        name: string;
        flavor: FlavorSpec;
        imageId: string;
        networks: NetworkRequest[];
        keyName: string | null;
        userData: string | null;
        securityGroups: string[];
        zone: string | null;
        /** Absent in events recorded before instances had metadata: none. */
        metadata?: Record<string, string>;
        /** Absent in events recorded before instances had tags: none. */
        tags?: string[];
        /** Absent: the root disk made from the image at the flavor's size, deleted with the instance. */
        rootVolume?: RootVolumeChoice;
        operationId: string;
        at: string;
      }
    >
  | DomainEvent<'InstanceScheduled', { instanceId: string; hostId: string; attempt: number; at: string }>
  | DomainEvent<'InstanceNetworked', { instanceId: string; attachments: Attachment[]; at: string }>
  | DomainEvent<'InstanceRootVolumeReady', { instanceId: string; volumeId: string; at: string }>
  | DomainEvent<'InstanceSpawnFailed', { instanceId: string; hostId: string; attempt: number; reason: string; at: string }>
  | DomainEvent<'InstanceActivated', { instanceId: string; hostId: string; at: string }>
  | DomainEvent<'InstanceFailed', { instanceId: string; reason: string; at: string }>
  /** The guest vanished from its host at run time: error, but its resources stay until it is deleted (as in Nova). */
  | DomainEvent<'InstanceLost', { instanceId: string; hostId: string; reason: string; at: string }>
  /** A stop, start or reboot that the hypervisor could not carry out; the instance stays as it was. */
  | DomainEvent<'InstanceActionFailed', { instanceId: string; task: TaskState; reason: string; at: string }>
  /** Everything an instance held (claim, ports, addresses, root volume, quota) has been given back. */
  | DomainEvent<'InstanceResourcesReleased', { instanceId: string; at: string }>
  /**
   * A step failed and will be retried (`waiting`: it only waits on something unreachable, such as
   * its host). Recorded when a step starts failing and when its error changes, not at every retry.
   */
  | DomainEvent<'InstanceStepRetrying', { instanceId: string; work: InstanceWork; reason: string; waiting: boolean; at: string }>
  /** Giving back what the instance held kept failing and was given up on: error, to be deleted again. */
  | DomainEvent<'InstanceCleanupFailed', { instanceId: string; reason: string; at: string }>
  | DomainEvent<'InstanceStopRequested', { instanceId: string; at: string }>
  | DomainEvent<'InstanceStopped', { instanceId: string; at: string }>
  | DomainEvent<'InstanceStartRequested', { instanceId: string; at: string }>
  | DomainEvent<'InstanceStarted', { instanceId: string; at: string }>
  | DomainEvent<'InstanceRebootRequested', { instanceId: string; rebootType: RebootType; at: string }>
  | DomainEvent<'InstanceRebooted', { instanceId: string; at: string }>
  | DomainEvent<'InstanceDeleteRequested', { instanceId: string; at: string }>
  | DomainEvent<'InstanceDeleted', { instanceId: string; at: string }>
  | DomainEvent<'InstancePowerStateDrifted', { instanceId: string; expected: PowerState; observed: PowerState; at: string }>
  /** The user's key/value metadata of the instance, whole as it now is. */
  | DomainEvent<'InstanceMetadataChanged', { instanceId: string; metadata: Record<string, string>; at: string }>
  /** The security groups of the instance's ports, whole as they now are (those a respawn plugs its ports with). */
  | DomainEvent<'InstanceSecurityGroupsChanged', { instanceId: string; securityGroups: string[]; at: string }>
  /** The instance's tags, whole as they now are. */
  | DomainEvent<'InstanceTagsChanged', { instanceId: string; tags: string[]; at: string }>;

export type InstanceRequest = Omit<Extract<InstanceEvent, { type: 'InstanceRequested' }>['data'], 'at'>;

export type InstanceCommand =
  | ({ type: 'RequestLaunch'; now: string } & InstanceRequest)
  | { type: 'RecordScheduled'; hostId: string; attempt: number; now: string }
  | { type: 'RecordNetworked'; attachments: Attachment[]; now: string }
  | { type: 'RecordRootVolumeReady'; volumeId: string; now: string }
  | { type: 'RecordSpawnFailed'; reason: string; now: string }
  | { type: 'RecordRunning'; now: string }
  | { type: 'RecordFailed'; reason: string; now: string }
  | { type: 'RecordResourcesReleased'; now: string }
  | { type: 'RecordActionFailed'; reason: string; now: string }
  | { type: 'RecordRetrying'; reason: string; waiting: boolean; now: string }
  | { type: 'RecordCleanupFailed'; reason: string; now: string }
  | { type: 'RecordLost'; reason: string; now: string }
  | { type: 'Stop'; now: string }
  | { type: 'RecordStopped'; now: string }
  | { type: 'Start'; now: string }
  | { type: 'RecordStarted'; now: string }
  | { type: 'Reboot'; rebootType: RebootType; now: string }
  | { type: 'RecordRebooted'; now: string }
  | { type: 'Delete'; now: string }
  | { type: 'RecordDeleted'; now: string }
  | { type: 'RecordPowerState'; observed: PowerState; now: string }
  | ({ type: 'ChangeMetadata'; now: string } & MetadataChange)
  | ({ type: 'ChangeTags'; now: string } & TagsChange)
  | { type: 'ChangeSecurityGroups'; securityGroups: string[]; now: string };
