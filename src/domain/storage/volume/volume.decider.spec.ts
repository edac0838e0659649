import { specFor } from '../../../../test/support/decider-spec';
import { fold } from '../../shared/decider';
import { VolumeCommand, VolumeEvent, volumeDecider } from './volume.decider';

const at = '2026-01-01T00:00:00.000Z';
const requested: VolumeEvent = {
  type: 'VolumeRequested',
  data: { volumeId: 'vol-1', projectId: 'prj-1', name: 'v', sizeGiB: 10, sourceImageId: null, bootFor: null, at },
};
const spec = specFor(volumeDecider);

function statuses(commands: VolumeCommand[]): string[] {
  const events: VolumeEvent[] = [requested];
  return commands.map((c) => {
    events.push(...volumeDecider.decide(c, fold(volumeDecider, events)));
    return fold(volumeDecider, events).status;
  });
}

describe('Volume decider', () => {
  it('lives through creating, available, attaching, in-use, detaching, deleting, deleted', () => {
    expect(
      statuses([
        { type: 'RecordCreated', now: at },
        { type: 'RequestAttach', instanceId: 'inst-1', now: at },
        { type: 'RecordAttached', device: 'vdb', now: at },
        { type: 'RequestDetach', now: at },
        { type: 'RecordDetached', now: at },
        { type: 'RequestDelete', now: at },
        { type: 'RecordDeleted', now: at },
      ]),
    ).toEqual(['available', 'attaching', 'in-use', 'detaching', 'available', 'deleting', 'deleted']);
  });

  it('refuses sizes out of range, deleting while in use, and attaching twice', () => {
    spec
      .given([])
      .when({ ...requested.data, type: 'RequestVolume', sizeGiB: 0, now: at })
      .thenThrows('InvalidVolumeSize');
    spec
      .given([])
      .when({ ...requested.data, type: 'RequestVolume', sizeGiB: 1.5, now: at })
      .thenThrows('InvalidVolumeSize');
    const inUse: VolumeEvent[] = [
      requested,
      { type: 'VolumeCreated', data: { volumeId: 'vol-1', at } },
      { type: 'VolumeAttachRequested', data: { volumeId: 'vol-1', instanceId: 'inst-1', at } },
      { type: 'VolumeAttached', data: { volumeId: 'vol-1', instanceId: 'inst-1', device: 'vdb', at } },
    ];
    spec.given(inUse).when({ type: 'RequestDelete', now: at }).thenThrows('VolumeStateConflict');
    spec.given(inUse).when({ type: 'RequestAttach', instanceId: 'inst-2', now: at }).thenThrows('VolumeStateConflict');
  });

  it('returns to available when an attach fails, and to error when creation fails', () => {
    expect(
      statuses([
        { type: 'RecordCreated', now: at },
        { type: 'RequestAttach', instanceId: 'i', now: at },
        { type: 'RecordAttachFailed', reason: 'x', now: at },
      ]),
    ).toEqual(['available', 'attaching', 'available']);
    expect(
      statuses([
        { type: 'RecordCreationFailed', reason: 'disk full', now: at },
        { type: 'RequestDelete', now: at },
      ]),
    ).toEqual(['error', 'deleting']);
  });
});
