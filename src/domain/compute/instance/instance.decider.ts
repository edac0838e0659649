import { Decider, assertNever } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';
import { FlavorSpec, InstanceCommand, InstanceEvent, InstanceRequest } from './instance.events';
import { InstanceLifecycle, evolveLifecycle, requestedLifecycle, workOf } from './instance-lifecycle';
import { PowerState, TaskState, VmState } from './instance-states';
import { metadataAfter, sameMetadata, validateMetadata } from '../../shared/metadata';
import { sameList, tagsAfter } from './instance-details';

export type InstanceState =
  | { status: 'absent' }
  | ({
      status: 'present';
      instanceId: string;
      projectId: string;
      request: InstanceRequest;
      flavor: FlavorSpec;
      metadata: Record<string, string>;
      tags: string[];
      /** Hosts where spawning failed, not to be tried again. */
      triedHosts: string[];
      attempt: number;
    } & InstanceLifecycle);

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
      validateMetadata(command.metadata ?? {});
      const tags = tagsAfter([], { add: command.tags ?? [], remove: [], replace: true });
      const { type: _type, now, tags: _asked, ...data } = command;
      return [{ type: 'InstanceRequested', data: { ...data, ...(tags.length > 0 ? { tags } : {}), at: now } }];
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
      case 'RecordRetrying': {
        const work = workOf(s);
        const { reason, waiting } = command;
        if (work === null || (s.retrying?.work === work && s.retrying.reason === reason && s.retrying.waiting === waiting)) return [];
        return [{ type: 'InstanceStepRetrying', data: { instanceId: id, work, reason, waiting, at } }];
      }
      case 'RecordCleanupFailed':
        if (!inTask(s, 'deleting') && !s.releasePending) return [];
        return [{ type: 'InstanceCleanupFailed', data: { instanceId: id, reason: command.reason, at } }];
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
      case 'ChangeMetadata': {
        const metadata = metadataAfter(s.metadata, command);
        return sameMetadata(metadata, s.metadata) ? [] : [{ type: 'InstanceMetadataChanged', data: { instanceId: id, metadata, at } }];
      }
      case 'ChangeSecurityGroups': {
        const securityGroups = [...new Set(command.securityGroups)];
        return sameList(securityGroups, s.request.securityGroups)
          ? []
          : [{ type: 'InstanceSecurityGroupsChanged', data: { instanceId: id, securityGroups, at } }];
      }
      case 'ChangeTags': {
        const tags = tagsAfter(s.tags, command);
        return sameList(tags, s.tags) ? [] : [{ type: 'InstanceTagsChanged', data: { instanceId: id, tags, at } }];
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
        metadata: event.data.metadata ?? {},
        tags: event.data.tags ?? [],
        triedHosts: [],
        attempt: 0,
        ...requestedLifecycle(),
      };
    }
    if (state.status === 'absent') return state;
    const next = evolveLifecycle(state, event);
    if (event.type === 'InstanceScheduled') return { ...next, attempt: event.data.attempt };
    if (event.type === 'InstanceSpawnFailed') return { ...next, triedHosts: [...state.triedHosts, event.data.hostId] };
    if (event.type === 'InstanceMetadataChanged') return { ...next, metadata: event.data.metadata };
    if (event.type === 'InstanceTagsChanged') return { ...next, tags: event.data.tags };
    if (event.type === 'InstanceSecurityGroupsChanged') return { ...next, request: { ...next.request, securityGroups: event.data.securityGroups } };
    return next;
  },
};

/** The power state the orchestrator expects when no task is running, or null while one is. */
function expectedPower(s: Present): PowerState | null {
  if (s.taskState !== null) return null;
  if (s.vmState === 'active') return 'running';
  if (s.vmState === 'stopped') return 'shutdown';
  return null;
}
