import { Page, PageRequest } from '../../shared/paging';

export type VolumeView = {
  id: string;
  projectId: string;
  name: string;
  sizeGiB: number;
  status: string;
  instanceId: string | null;
  device: string | null;
  /** The instance whose root disk it is (managed with the instance, not through this API). */
  bootFor: string | null;
  /** The image it was made from: it boots (Cinder's `bootable`). */
  sourceImageId: string | null;
  description: string;
  /** Its metadata (EC2's tags). */
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
};

export type SnapshotView = {
  id: string;
  volumeId: string;
  projectId: string;
  name: string;
  sizeGiB: number;
  status: string;
  failure: string | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
};

export interface VolumeReadModel {
  getVolume(id: string): Promise<VolumeView | null>;
  listVolumes(projectId: string | null, page: PageRequest): Promise<Page<VolumeView>>;
  /** Data volumes attached (or being attached or detached) to an instance. */
  listAttachedTo(instanceId: string): Promise<VolumeView[]>;
  /** Data volumes with work left (creating, attaching, detaching, deleting; or a snapshot creating or deleting). */
  listUnfinished(): Promise<string[]>;
  getSnapshot(id: string): Promise<SnapshotView | null>;
  /** A volume's snapshots that are not deleted. */
  listSnapshots(volumeId: string, page: PageRequest): Promise<Page<SnapshotView>>;
  /** The snapshots that are not deleted of a project's volumes (null: every project's). */
  listProjectSnapshots(projectId: string | null, page: PageRequest): Promise<Page<SnapshotView>>;
}
export const VOLUME_READ_MODEL = Symbol('VolumeReadModel');
