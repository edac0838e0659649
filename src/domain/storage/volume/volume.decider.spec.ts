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

  describe('snapshots', () => {
    const created: VolumeEvent = { type: 'VolumeCreated', data: { volumeId: 'vol-1', at } };
    const snapRequested: VolumeEvent = {
      type: 'VolumeSnapshotRequested',
      data: { volumeId: 'vol-1', snapshotId: 'snap-1', projectId: 'prj-1', name: 's', sizeGiB: 10, at },
    };
    const snapCreated: VolumeEvent = { type: 'VolumeSnapshotCreated', data: { volumeId: 'vol-1', snapshotId: 'snap-1', at } };

    it('takes a snapshot of an available volume, once, and records it taken', () => {
      spec.given([requested, created]).when({ type: 'RequestSnapshot', snapshotId: 'snap-1', name: 's', now: at }).then([snapRequested]);
      spec.given([requested, created, snapRequested]).when({ type: 'RequestSnapshot', snapshotId: 'snap-1', name: 's', now: at }).then([]);
      spec.given([requested, created, snapRequested]).when({ type: 'RecordSnapshotCreated', snapshotId: 'snap-1', now: at }).then([snapCreated]);
    });

    it('refuses snapshots of a volume being created and of a root volume', () => {
      spec.given([requested]).when({ type: 'RequestSnapshot', snapshotId: 'snap-1', name: 's', now: at }).thenThrows('VolumeStateConflict');
      const root: VolumeEvent = { type: 'VolumeRequested', data: { ...requested.data, bootFor: 'inst-1' } as never };
      spec.given([root, created]).when({ type: 'RequestSnapshot', snapshotId: 'snap-1', name: 's', now: at }).thenThrows('RootVolume');
    });

    it('keeps a volume with snapshots from deletion until they are deleted', () => {
      spec.given([requested, created, snapRequested, snapCreated]).when({ type: 'RequestDelete', now: at }).thenThrows('VolumeHasSnapshots');
      spec
        .given([requested, created, snapRequested])
        .when({ type: 'RequestSnapshotDelete', snapshotId: 'snap-1', now: at })
        .thenThrows('SnapshotStateConflict');
      spec.given([requested, created]).when({ type: 'RequestSnapshotDelete', snapshotId: 'snap-9', now: at }).thenThrows('SnapshotNotFound');
      const deleting: VolumeEvent = { type: 'VolumeSnapshotDeleteRequested', data: { volumeId: 'vol-1', snapshotId: 'snap-1', at } };
      const deleted: VolumeEvent = { type: 'VolumeSnapshotDeleted', data: { volumeId: 'vol-1', snapshotId: 'snap-1', at } };
      spec.given([requested, created, snapRequested, snapCreated]).when({ type: 'RequestSnapshotDelete', snapshotId: 'snap-1', now: at }).then([deleting]);
      spec
        .given([requested, created, snapRequested, snapCreated, deleting])
        .when({ type: 'RecordSnapshotDeleted', snapshotId: 'snap-1', now: at })
        .then([deleted]);
      spec
        .given([requested, created, snapRequested, snapCreated, deleting, deleted])
        .when({ type: 'RequestDelete', now: at })
        .then([{ type: 'VolumeDeleteRequested', data: { volumeId: 'vol-1', at } }]);
    });
  });

  it('renames in any state but deleted, and records nothing for the same name', () => {
    spec
      .given([requested])
      .when({ type: 'Rename', name: 'w', now: at })
      .then([{ type: 'VolumeRenamed', data: { volumeId: 'vol-1', name: 'w', at } }]);
    spec.given([requested]).when({ type: 'Rename', name: 'v', now: at }).then([]);
    spec
      .given([requested, { type: 'VolumeDeleted', data: { volumeId: 'vol-1', projectId: 'prj-1', sizeGiB: 10, at } }])
      .when({ type: 'Rename', name: 'w', now: at })
      .thenThrows('VolumeNotFound');
  });

  it('grows an available volume only, to a larger size, and keeps the sizes it grew to (their quota goes back with it)', () => {
    const created: VolumeEvent = { type: 'VolumeCreated', data: { volumeId: 'vol-1', at } };
    spec.given([requested]).when({ type: 'RequestExtend', sizeGiB: 20, now: at }).thenThrows('VolumeStateConflict');
    spec.given([requested, created]).when({ type: 'RequestExtend', sizeGiB: 10, now: at }).thenThrows('InvalidVolumeSize');
    const asked: VolumeEvent = { type: 'VolumeExtendRequested', data: { volumeId: 'vol-1', sizeGiB: 20, at } };
    spec.given([requested, created]).when({ type: 'RequestExtend', sizeGiB: 20, now: at }).then([asked]);
    spec.given([requested, created, asked]).when({ type: 'RequestExtend', sizeGiB: 20, now: at }).then([]);
    spec.given([requested, created, asked]).when({ type: 'RequestAttach', instanceId: 'inst-1', now: at }).thenThrows('VolumeStateConflict');
    const grown = fold(volumeDecider, [requested, created, asked, { type: 'VolumeExtended', data: { volumeId: 'vol-1', sizeGiB: 20, at } }]);
    expect(grown).toMatchObject({ status: 'available', sizeGiB: 20, grownTo: [20], extendingTo: null });
    const failed = fold(volumeDecider, [requested, created, asked, { type: 'VolumeExtendFailed', data: { volumeId: 'vol-1', sizeGiB: 20, reason: 'x', at } }]);
    expect(failed).toMatchObject({ status: 'available', sizeGiB: 10, grownTo: [] });
  });

  it('keeps a description, changed with or without the name', () => {
    spec
      .given([requested])
      .when({ type: 'Rename', name: 'v', description: 'logs', now: at })
      .then([{ type: 'VolumeRenamed', data: { volumeId: 'vol-1', name: 'v', description: 'logs', at } }]);
    spec.given([requested]).when({ type: 'Rename', name: 'v', now: at }).then([]);
  });

  it('boots an instance from an available volume made from an image, once, and lets it go as a data volume', () => {
    const created: VolumeEvent = { type: 'VolumeCreated', data: { volumeId: 'vol-1', at } };
    spec.given([requested, created]).when({ type: 'ClaimForBoot', instanceId: 'inst-1', now: at }).thenThrows('VolumeNotBootable');
    const fromImage: VolumeEvent = { ...requested, data: { ...requested.data, sourceImageId: 'img-1' } } as VolumeEvent;
    const claimed: VolumeEvent = { type: 'VolumeClaimedForBoot', data: { volumeId: 'vol-1', instanceId: 'inst-1', at } };
    spec.given([fromImage, created]).when({ type: 'ClaimForBoot', instanceId: 'inst-1', now: at }).then([claimed]);
    spec.given([fromImage, created, claimed]).when({ type: 'ClaimForBoot', instanceId: 'inst-1', now: at }).then([]);
    spec.given([fromImage, created, claimed]).when({ type: 'ClaimForBoot', instanceId: 'inst-2', now: at }).thenThrows('VolumeInUse');
    spec.given([fromImage, created, claimed]).when({ type: 'RequestSnapshot', snapshotId: 'snap-1', name: 's', now: at }).thenThrows('RootVolume');
    const released: VolumeEvent = { type: 'VolumeReleasedFromBoot', data: { volumeId: 'vol-1', instanceId: 'inst-1', at } };
    spec.given([fromImage, created, claimed]).when({ type: 'ReleaseFromBoot', now: at }).then([released]);
    expect(fold(volumeDecider, [fromImage, created, claimed, released])).toMatchObject({ status: 'available', bootFor: null });
  });

  it("keeps the volume's metadata and each snapshot's, merged, removed by key, nothing for no change", () => {
    const change = (set: Record<string, string>, unset: string[] = []) => ({ set, unset, replace: false });
    const tagged: VolumeEvent = { type: 'VolumeMetadataChanged', data: { volumeId: 'vol-1', snapshotId: null, metadata: { env: 'prod' }, at } };
    spec
      .given([requested])
      .when({ type: 'ChangeMetadata', snapshotId: null, change: change({ env: 'prod' }), now: at })
      .then([tagged]);
    spec
      .given([requested, tagged])
      .when({ type: 'ChangeMetadata', snapshotId: null, change: change({ env: 'prod' }), now: at })
      .then([]);
    spec
      .given([requested, tagged])
      .when({ type: 'ChangeMetadata', snapshotId: null, change: change({ team: 'ops' }, ['env']), now: at })
      .then([{ type: 'VolumeMetadataChanged', data: { volumeId: 'vol-1', snapshotId: null, metadata: { team: 'ops' }, at } }]);
    spec
      .given([requested])
      .when({ type: 'ChangeMetadata', snapshotId: null, change: change({}, ['env']), now: at })
      .thenThrows('MetadataItemNotFound');
    spec
      .given([requested])
      .when({ type: 'ChangeMetadata', snapshotId: 'snap-1', change: change({ a: 'b' }), now: at })
      .thenThrows('SnapshotNotFound');
    const snap: VolumeEvent = {
      type: 'VolumeSnapshotRequested',
      data: { volumeId: 'vol-1', snapshotId: 'snap-1', projectId: 'prj-1', name: 's', sizeGiB: 10, at },
    };
    const snapTagged: VolumeEvent = { type: 'VolumeMetadataChanged', data: { volumeId: 'vol-1', snapshotId: 'snap-1', metadata: { a: 'b' }, at } };
    spec
      .given([requested, tagged, snap])
      .when({ type: 'ChangeMetadata', snapshotId: 'snap-1', change: change({ a: 'b' }), now: at })
      .then([snapTagged]);
    expect(fold(volumeDecider, [requested, tagged, snap, snapTagged])).toMatchObject({ metadata: { env: 'prod' }, snapshotMetadata: { 'snap-1': { a: 'b' } } });
  });
});
