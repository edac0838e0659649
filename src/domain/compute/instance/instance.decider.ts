import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';
import { PowerState, TaskState, VmState } from './instance-states';

export type FlavorSpec = { flavorId: string; vcpus: number; ramMiB: number; diskGiB: number };
export type NetworkRequest = { networkId: string; ip?: string };
export type Attachment = { portId: string; networkId: string; ip: string; mac: string };
export type RebootType = 'soft' | 'hard';

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
  | DomainEvent<'InstanceStopRequested', { instanceId: string; at: string }>
  | DomainEvent<'InstanceStopped', { instanceId: string; at: string }>
  | DomainEvent<'InstanceStartRequested', { instanceId: string; at: string }>
  | DomainEvent<'InstanceStarted', { instanceId: string; at: string }>
  | DomainEvent<'InstanceRebootRequested', { instanceId: string; rebootType: RebootType; at: string }>
  | DomainEvent<'InstanceRebooted', { instanceId: string; at: string }>
  | DomainEvent<'InstanceDeleteRequested', { instanceId: string; at: string }>
  | DomainEvent<'InstanceDeleted', { instanceId: string; at: string }>
  | DomainEvent<'InstancePowerStateDrifted', { instanceId: string; expected: PowerState; observed: PowerState; at: string }>;

export type InstanceCommand =
  | ({ type: 'RequestLaunch'; now: string } & Omit<Extract<InstanceEvent, { type: 'InstanceRequested' }>['data'], 'at'>)
  | { type: 'RecordScheduled'; hostId: string; attempt: number; now: string }
  | { type: 'RecordNetworked'; attachments: Attachment[]; now: string }
  | { type: 'RecordRootVolumeReady'; volumeId: string; now: string }
  | { type: 'RecordSpawnFailed'; reason: string; now: string }
  | { type: 'RecordRunning'; now: string }
  | { type: 'RecordFailed'; reason: string; now: string }
  | { type: 'RecordResourcesReleased'; now: string }
  | { type: 'RecordActionFailed'; reason: string; now: string }
  | { type: 'RecordLost'; reason: string; now: string }
  | { type: 'Stop'; now: string }
  | { type: 'RecordStopped'; now: string }
  | { type: 'Start'; now: string }
  | { type: 'RecordStarted'; now: string }
  | { type: 'Reboot'; rebootType: RebootType; now: string }
  | { type: 'RecordRebooted'; now: string }
  | { type: 'Delete'; now: string }
  | { type: 'RecordDeleted'; now: string }
  | { type: 'RecordPowerState'; observed: PowerState; now: string };

export type InstanceRequest = Omit<Extract<InstanceEvent, { type: 'InstanceRequested' }>['data'], 'at'>;

export type InstanceState =
  | { status: 'absent' }
  | {
      status: 'present';
      instanceId: string;
      projectId: string;
      request: InstanceRequest;
      flavor: FlavorSpec;
      /** Hosts where spawning failed, not to be tried again. */
      triedHosts: string[];
      /** True from a failed build until everything it held has been given back. */
      releasePending: boolean;
      vmState: VmState;
      taskState: TaskState;
      powerState: PowerState;
      hostId: string | null;
      attempt: number;
      attachments: Attachment[];
      rootVolumeId: string | null;
      failure: string | null;
    };

export const instanceStream = (instanceId: string) => `instance-${instanceId}`;

type Present = Extract<InstanceState, { status: 'present' }>;

const refuse = (s: Present, action: string) =>
  conflict('InstanceStateConflict', `Cannot ${action} an instance in state ${s.vmState}${s.taskState ? ` (${s.taskState})` : ''}`);

/** A user action is accepted only when no other task runs on the instance. */
function requireIdle(s: Present, action: string, allowed: VmState[]): void {
  if (s.taskState !== null || !allowed.includes(s.vmState)) throw refuse(s, action);
}

/** A progress report is accepted only in the task it reports on; repeats are ignored. */
const inTask = (s: Present, ...tasks: TaskState[]) => tasks.includes(s.taskState);

export const instanceDecider: Decider<InstanceState, InstanceCommand, InstanceEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'RequestLaunch') {
      if (state.status !== 'absent') throw conflict('InstanceExists', `Instance ${command.instanceId} already exists`);
      const { type: _type, now, ...data } = command;
      return [{ type: 'InstanceRequested', data: { ...data, at: now } }];
    }
    if (state.status === 'absent') throw notFound('InstanceNotFound', 'Instance not found');
    const s = state;
    const id = s.instanceId;
    const at = command.now;
    if (s.vmState === 'deleted') {
      if (command.type.startsWith('Record')) return []; // late reports about a deleted instance change nothing
      throw notFound('InstanceNotFound', 'Instance not found');
    }
    switch (command.type) {
      case 'RecordScheduled':
        if (!inTask(s, 'scheduling') || s.vmState !== 'building') return [];
        return [{ type: 'InstanceScheduled', data: { instanceId: id, hostId: command.hostId, attempt: command.attempt, at } }];
      case 'RecordNetworked':
        if (!inTask(s, 'networking')) return [];
        return [{ type: 'InstanceNetworked', data: { instanceId: id, attachments: command.attachments, at } }];
      case 'RecordRootVolumeReady':
        if (!inTask(s, 'block_device_mapping')) return [];
        return [{ type: 'InstanceRootVolumeReady', data: { instanceId: id, volumeId: command.volumeId, at } }];
      case 'RecordSpawnFailed':
        if (s.vmState !== 'building' || !s.hostId) return [];
        return [{ type: 'InstanceSpawnFailed', data: { instanceId: id, hostId: s.hostId, attempt: s.attempt, reason: command.reason, at } }];
      case 'RecordRunning':
        if (s.vmState !== 'building' || !inTask(s, 'spawning') || !s.hostId) return [];
        return [{ type: 'InstanceActivated', data: { instanceId: id, hostId: s.hostId, at } }];
      case 'RecordFailed':
        if (s.vmState === 'error') return [];
        return [{ type: 'InstanceFailed', data: { instanceId: id, reason: command.reason, at } }];
      case 'RecordLost':
        if (s.taskState !== null || (s.vmState !== 'active' && s.vmState !== 'stopped') || !s.hostId) return [];
        return [{ type: 'InstanceLost', data: { instanceId: id, hostId: s.hostId, reason: command.reason, at } }];
      case 'RecordActionFailed':
        if (!inTask(s, 'powering_off', 'powering_on', 'rebooting', 'rebooting_hard')) return [];
        return [{ type: 'InstanceActionFailed', data: { instanceId: id, task: s.taskState, reason: command.reason, at } }];
      case 'RecordResourcesReleased':
        if (!s.releasePending) return [];
        return [{ type: 'InstanceResourcesReleased', data: { instanceId: id, at } }];
      case 'Stop':
        requireIdle(s, 'stop', ['active']);
        return [{ type: 'InstanceStopRequested', data: { instanceId: id, at } }];
      case 'RecordStopped':
        return inTask(s, 'powering_off') ? [{ type: 'InstanceStopped', data: { instanceId: id, at } }] : [];
      case 'Start':
        requireIdle(s, 'start', ['stopped']);
        return [{ type: 'InstanceStartRequested', data: { instanceId: id, at } }];
      case 'RecordStarted':
        return inTask(s, 'powering_on') ? [{ type: 'InstanceStarted', data: { instanceId: id, at } }] : [];
      case 'Reboot':
        // A hard reboot may take over from a soft one that hangs (Nova's fallback).
        if (command.rebootType === 'hard' && inTask(s, 'rebooting') && s.vmState === 'active') {
          return [{ type: 'InstanceRebootRequested', data: { instanceId: id, rebootType: 'hard', at } }];
        }
        requireIdle(s, 'reboot', command.rebootType === 'hard' ? ['active', 'stopped', 'error'] : ['active']);
        return [{ type: 'InstanceRebootRequested', data: { instanceId: id, rebootType: command.rebootType, at } }];
      case 'RecordRebooted':
        return inTask(s, 'rebooting', 'rebooting_hard') ? [{ type: 'InstanceRebooted', data: { instanceId: id, at } }] : [];
      case 'Delete':
        if (inTask(s, 'deleting')) return [];
        return [{ type: 'InstanceDeleteRequested', data: { instanceId: id, at } }];
      case 'RecordDeleted':
        return inTask(s, 'deleting') ? [{ type: 'InstanceDeleted', data: { instanceId: id, at } }] : [];
      case 'RecordPowerState': {
        const expected = expectedPower(s);
        // A stopped instance is consistent with any guest that is not running.
        if (expected === null || expected === command.observed || (expected === 'shutdown' && command.observed !== 'running')) return [];
        return [{ type: 'InstancePowerStateDrifted', data: { instanceId: id, expected, observed: command.observed, at } }];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    if (event.type === 'InstanceRequested') {
      const { at: _at, ...request } = event.data;
      return {
        status: 'present',
        instanceId: event.data.instanceId,
        projectId: event.data.projectId,
        request,
        flavor: event.data.flavor,
        triedHosts: [],
        releasePending: false,
        vmState: 'building',
        taskState: 'scheduling',
        powerState: 'nostate',
        hostId: null,
        attempt: 0,
        attachments: [],
        rootVolumeId: null,
        failure: null,
      };
    }
    if (state.status === 'absent') return state;
    switch (event.type) {
      case 'InstanceScheduled':
        return { ...state, hostId: event.data.hostId, attempt: event.data.attempt, taskState: 'networking' };
      case 'InstanceNetworked':
        return { ...state, attachments: event.data.attachments, taskState: 'block_device_mapping' };
      case 'InstanceRootVolumeReady':
        return { ...state, rootVolumeId: event.data.volumeId, taskState: 'spawning' };
      case 'InstanceSpawnFailed':
        // Back to scheduling: the saga either picks another host or gives up (InstanceFailed).
        return { ...state, hostId: null, taskState: 'scheduling', failure: event.data.reason, triedHosts: [...state.triedHosts, event.data.hostId] };
      case 'InstanceActivated':
        return { ...state, vmState: 'active', taskState: null, powerState: 'running', failure: null };
      case 'InstanceFailed':
        return { ...state, vmState: 'error', taskState: null, failure: event.data.reason, releasePending: true };
      case 'InstanceLost':
        // Nothing to give back automatically: the user decides (delete, or later rebuild).
        return { ...state, vmState: 'error', taskState: null, powerState: 'nostate', failure: event.data.reason };
      case 'InstanceActionFailed':
        return { ...state, taskState: null, failure: event.data.reason };
      case 'InstanceResourcesReleased':
        return { ...state, releasePending: false, hostId: null, attachments: [], rootVolumeId: null };
      case 'InstanceStopRequested':
        return { ...state, taskState: 'powering_off' };
      case 'InstanceStopped':
        return { ...state, vmState: 'stopped', taskState: null, powerState: 'shutdown' };
      case 'InstanceStartRequested':
        return { ...state, taskState: 'powering_on' };
      case 'InstanceStarted':
        return { ...state, vmState: 'active', taskState: null, powerState: 'running' };
      case 'InstanceRebootRequested':
        return { ...state, taskState: event.data.rebootType === 'hard' ? 'rebooting_hard' : 'rebooting' };
      case 'InstanceRebooted':
        return { ...state, vmState: 'active', taskState: null, powerState: 'running' };
      case 'InstanceDeleteRequested':
        return { ...state, taskState: 'deleting' };
      case 'InstanceDeleted':
        return { ...state, vmState: 'deleted', taskState: null, powerState: 'nostate', hostId: null, releasePending: false };
      case 'InstancePowerStateDrifted':
        return { ...state, powerState: event.data.observed };
      default:
        return assertNever(event);
    }
  },
};

/** The power state the orchestrator expects when no task is running, or null while one is. */
function expectedPower(s: Present): PowerState | null {
  if (s.taskState !== null) return null;
  if (s.vmState === 'active') return 'running';
  if (s.vmState === 'stopped') return 'shutdown';
  return null;
}
