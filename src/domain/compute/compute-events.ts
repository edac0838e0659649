import { eventTypesOf } from '../shared/decider';
import { FlavorEvent } from './flavor/flavor.decider';
import { HostEvent } from './host/host.decider';
import { ImageEvent } from './image/image.decider';
import { InstanceEvent } from './instance/instance.events';
import { KeyPairEvent } from './keypair/keypair.decider';
import { OperationEvent } from './operation/operation.decider';
import { OrphanEvent } from './reconciliation/orphans.decider';

export type ComputeEvent = InstanceEvent | HostEvent | FlavorEvent | ImageEvent | KeyPairEvent | OperationEvent | OrphanEvent;

/** Every event of the Compute context (its topic's). */
export const COMPUTE_EVENT_TYPES = eventTypesOf<ComputeEvent>({
  InstanceRequested: true,
  InstanceScheduled: true,
  InstanceNetworked: true,
  InstanceRootVolumeReady: true,
  InstanceSpawnFailed: true,
  InstanceActivated: true,
  InstanceFailed: true,
  InstanceLost: true,
  InstanceActionFailed: true,
  InstanceResourcesReleased: true,
  InstanceStepRetrying: true,
  InstanceCleanupFailed: true,
  InstanceStopRequested: true,
  InstanceStopped: true,
  InstanceStartRequested: true,
  InstanceStarted: true,
  InstanceRebootRequested: true,
  InstanceRebooted: true,
  InstanceDeleteRequested: true,
  InstanceDeleted: true,
  InstancePowerStateDrifted: true,
  InstanceMetadataChanged: true,
  InstanceTagsChanged: true,
  InstanceSecurityGroupsChanged: true,
  HostRegistered: true,
  HostEnabled: true,
  HostDisabled: true,
  ResourcesClaimed: true,
  ClaimReleased: true,
  HostAgentAttached: true,
  HostAgentDetached: true,
  FlavorCreated: true,
  FlavorDeleted: true,
  ImageRegistered: true,
  ImageCreated: true,
  ImageDataUploaded: true,
  ImageTagAdded: true,
  ImageTagRemoved: true,
  ImageDeleted: true,
  KeyPairImported: true,
  KeyPairDeleted: true,
  OperationStarted: true,
  OrphanFound: true,
  OrphanVanished: true,
  OrphanRemoved: true,
});
