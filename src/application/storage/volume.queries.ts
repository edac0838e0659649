import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/shared/domain-error';
import { volumeDecider, volumeStream } from '../../domain/storage/volume/volume.decider';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { AsOf, stateAsOf } from '../shared/point-in-time';
import { assertInScope, listingScope } from '../identity/public';
import { PageRequest } from '../shared/paging';
import { Principal } from '../shared/command-context';
import { SnapshotView, VOLUME_READ_MODEL, VolumeReadModel, VolumeView } from './ports/volume-read-model.port';

const NOT_FOUND = { code: 'VolumeNotFound', message: 'Volume not found' };

@Injectable()
export class VolumeQueries {
  constructor(
    @Inject(VOLUME_READ_MODEL) private readonly readModel: VolumeReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The volume now, or as it was at a moment of the log (`asOf`: rebuilt from its stream). */
  async getVolume(p: Principal, id: string, asOf: AsOf | null = null): Promise<VolumeView> {
    const volume = asOf ? await this.volumeAsOf(id, asOf) : await this.readModel.getVolume(id);
    if (!volume) throw notFound(NOT_FOUND.code, NOT_FOUND.message);
    assertInScope(p, volume.projectId, NOT_FOUND);
    return volume;
  }

  /** The data volumes attached (or attaching, or detaching) to an instance the caller may see. */
  async attachedTo(p: Principal, instance: { id: string; projectId: string }): Promise<VolumeView[]> {
    assertInScope(p, instance.projectId, { code: 'InstanceNotFound', message: 'Instance not found' });
    return this.readModel.listAttachedTo(instance.id);
  }

  private async volumeAsOf(id: string, asOf: AsOf): Promise<VolumeView | null> {
    const { state, events } = await stateAsOf(this.store, volumeDecider, volumeStream(id), asOf);
    if (state.status === 'absent') return null;
    const requested = events[0].data as { at: string; description?: string };
    const described = events.map((e) => (e.data as { description?: string }).description).filter((d) => d !== undefined);
    return {
      id: state.volumeId,
      projectId: state.projectId,
      name: state.name,
      sizeGiB: state.sizeGiB,
      status: state.status,
      instanceId: state.instanceId,
      device: state.device,
      bootFor: state.bootFor,
      sourceImageId: state.sourceImageId,
      description: described[described.length - 1] ?? requested.description ?? '',
      metadata: { ...state.metadata },
      createdAt: requested.at,
      updatedAt: events[events.length - 1].metadata.at,
    };
  }

  listVolumes(p: Principal, page: PageRequest) {
    return this.readModel.listVolumes(listingScope(p), page);
  }

  async listSnapshots(p: Principal, volumeId: string, page: PageRequest) {
    await this.getVolume(p, volumeId);
    return this.readModel.listSnapshots(volumeId, page);
  }

  /** The caller's snapshots (every project's for an admin), whatever their volume. */
  listProjectSnapshots(p: Principal, page: PageRequest) {
    return this.readModel.listProjectSnapshots(listingScope(p), page);
  }

  /** A snapshot by its id alone (Cinder's way), if the caller may see it. */
  async findSnapshot(p: Principal, snapshotId: string): Promise<SnapshotView> {
    const snapshot = await this.readModel.getSnapshot(snapshotId);
    if (!snapshot || snapshot.status === 'deleted') throw notFound('SnapshotNotFound', 'Snapshot not found');
    assertInScope(p, snapshot.projectId, { code: 'SnapshotNotFound', message: 'Snapshot not found' });
    return snapshot;
  }

  async getSnapshot(p: Principal, volumeId: string, snapshotId: string): Promise<SnapshotView> {
    await this.getVolume(p, volumeId);
    const snapshot = await this.readModel.getSnapshot(snapshotId);
    if (!snapshot || snapshot.volumeId !== volumeId || snapshot.status === 'deleted') throw notFound('SnapshotNotFound', 'Snapshot not found');
    return snapshot;
  }
}
