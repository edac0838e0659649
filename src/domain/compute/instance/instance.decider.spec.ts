import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { instanceDecider } from './instance.decider';
import { InstanceCommand, InstanceEvent } from './instance.events';
import { userState } from './instance-states';

const at = '2026-01-01T00:00:00.000Z';
const requested: InstanceEvent = {
  type: 'InstanceRequested',
  data: {
    instanceId: 'inst-1',
    projectId: 'prj-1',
    name: 'vm',
    flavor: { flavorId: 'f1', vcpus: 1, ramMiB: 256, diskGiB: 1 },
    imageId: 'img-1',
    networks: [{ networkId: 'net-1' }],
    keyName: null,
    userData: null,
    securityGroups: [],
    zone: null,
    operationId: 'op-1',
    at,
  },
};
const scheduled: InstanceEvent = { type: 'InstanceScheduled', data: { instanceId: 'inst-1', hostId: 'host-1', attempt: 1, at } };
const networked: InstanceEvent = { type: 'InstanceNetworked', data: { instanceId: 'inst-1', attachments: [], at } };
const volumeReady: InstanceEvent = { type: 'InstanceRootVolumeReady', data: { instanceId: 'inst-1', volumeId: 'vol-1', at } };
const activated: InstanceEvent = { type: 'InstanceActivated', data: { instanceId: 'inst-1', hostId: 'host-1', at } };
const active = [requested, scheduled, networked, volumeReady, activated];
const spec = specFor(instanceDecider);

/** Runs commands in order from `events` and returns the user-facing state after each. */
function states(events: InstanceEvent[], commands: InstanceCommand[]): string[] {
  const all = [...events];
  return commands.map((c) => {
    all.push(...instanceDecider.decide(c, fold(instanceDecider, all)));
    const s = fold(instanceDecider, all);
    return s.status === 'present' ? userState(s.vmState, s.taskState) : 'absent';
  });
}

describe('Instance decider', () => {
  it('goes pending -> active through scheduling, networking, volume and spawn', () => {
    expect(
      states(
        [],
        [
          { type: 'RequestLaunch', now: at, ...(({ at: _a, ...d }) => d)(requested.data) },
          { type: 'RecordScheduled', hostId: 'host-1', attempt: 1, now: at },
          { type: 'RecordNetworked', attachments: [], now: at },
          { type: 'RecordRootVolumeReady', volumeId: 'vol-1', now: at },
          { type: 'RecordRunning', now: at },
        ],
      ),
    ).toEqual(['pending', 'pending', 'pending', 'pending', 'active']);
  });

  it('returns to scheduling after a spawn failure, and ends in error when given up', () => {
    const failed = instanceDecider.decide(
      { type: 'RecordSpawnFailed', reason: 'boom', now: at },
      fold(instanceDecider, [requested, scheduled, networked, volumeReady]),
    );
    expect(failed).toEqual([{ type: 'InstanceSpawnFailed', data: { instanceId: 'inst-1', hostId: 'host-1', attempt: 1, reason: 'boom', at } }]);
    const state = fold(instanceDecider, [requested, scheduled, networked, volumeReady, ...failed]);
    expect(state).toMatchObject({ vmState: 'building', taskState: 'scheduling', hostId: null, failure: 'boom' });
    expect(states([requested, ...failed], [{ type: 'RecordFailed', reason: 'no valid host after 3 attempts', now: at }])).toEqual(['error']);
  });

  it('stops, starts, reboots and deletes, refusing actions that clash', () => {
    expect(
      states(active, [
        { type: 'Stop', now: at },
        { type: 'RecordStopped', now: at },
        { type: 'Start', now: at },
        { type: 'RecordStarted', now: at },
        { type: 'Reboot', rebootType: 'soft', now: at },
        { type: 'Reboot', rebootType: 'hard', now: at },
        { type: 'RecordRebooted', now: at },
        { type: 'Delete', now: at },
        { type: 'RecordDeleted', now: at },
      ]),
    ).toEqual(['stopping', 'stopped', 'pending', 'active', 'rebooting', 'rebooting', 'active', 'deleting', 'deleted']);
    spec.given(active).when({ type: 'Start', now: at }).thenThrows('InstanceStateConflict');
    spec
      .given([...active, { type: 'InstanceStopRequested', data: { instanceId: 'inst-1', at } }])
      .when({ type: 'Reboot', rebootType: 'soft', now: at })
      .thenThrows('InstanceStateConflict');
    spec.given([requested]).when({ type: 'Stop', now: at }).thenThrows('InstanceStateConflict');
  });

  it('ignores late or repeated progress reports, and reports about a deleted instance', () => {
    spec.given(active).when({ type: 'RecordRunning', now: at }).then([]);
    spec.given(active).when({ type: 'RecordScheduled', hostId: 'host-2', attempt: 2, now: at }).then([]);
    const deleted = [
      ...active,
      { type: 'InstanceDeleteRequested', data: { instanceId: 'inst-1', at } },
      { type: 'InstanceDeleted', data: { instanceId: 'inst-1', at } },
    ] as InstanceEvent[];
    spec.given(deleted).when({ type: 'RecordStopped', now: at }).then([]);
    spec.given(deleted).when({ type: 'Stop', now: at }).thenThrows('InstanceNotFound');
  });

  it('records power-state drift only when no task is running', () => {
    spec
      .given(active)
      .when({ type: 'RecordPowerState', observed: 'shutdown', now: at })
      .then([{ type: 'InstancePowerStateDrifted', data: { instanceId: 'inst-1', expected: 'running', observed: 'shutdown', at } }]);
    spec.given(active).when({ type: 'RecordPowerState', observed: 'running', now: at }).then([]);
    spec
      .given([...active, { type: 'InstanceStopRequested', data: { instanceId: 'inst-1', at } }])
      .when({ type: 'RecordPowerState', observed: 'shutdown', now: at })
      .then([]);
  });
});
