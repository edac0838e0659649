/** A new volume: blank, or filled from an image or from a snapshot (at most one source). */
export type VolumeSpec = { volumeId: string; sizeGiB: number; sourceImage: string | null; sourceSnapshotId?: string | null };
export type ActualSnapshot = { snapshotId: string; volumeId: string };
export type ActualVolume = { volumeId: string; sizeGiB: number; attachedTo: string | null; device: string | null };

/** One storage backend (libvirt: a directory pool of qcow2 files). Every call is idempotent. */
export interface BlockStorageDriver {
  createVolume(spec: VolumeSpec): Promise<void>;
  deleteVolume(volumeId: string): Promise<void>;
  /** Grows a volume to `sizeGiB` (never shrinks it); idempotent. */
  extendVolume(volumeId: string, sizeGiB: number): Promise<void>;
  /** A point-in-time copy of the volume that outlives it (libvirt: a qcow2 file of its own in the pool). */
  snapshot(volumeId: string, snapshotId: string): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  listSnapshots(): Promise<ActualSnapshot[]>;
  /** Attaches to a defined guest; returns the device name it got (vdb, vdc, …). */
  attach(volumeId: string, instanceId: string): Promise<string>;
  detach(volumeId: string, instanceId: string): Promise<void>;
  list(): Promise<ActualVolume[]>;
}
export const BLOCK_STORAGE = Symbol('BlockStorageDriver');
