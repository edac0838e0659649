export type VolumeSpec = { volumeId: string; sizeGiB: number; sourceImage: string | null };
export type ActualVolume = { volumeId: string; sizeGiB: number; attachedTo: string | null; device: string | null };

/** One storage backend (libvirt: a directory pool of qcow2 files). Every call is idempotent. */
export interface BlockStorageDriver {
  createVolume(spec: VolumeSpec): Promise<void>;
  deleteVolume(volumeId: string): Promise<void>;
  snapshot(volumeId: string, snapshotId: string): Promise<void>;
  /** Attaches to a defined guest; returns the device name it got (vdb, vdc, …). */
  attach(volumeId: string, instanceId: string): Promise<string>;
  detach(volumeId: string, instanceId: string): Promise<void>;
  list(): Promise<ActualVolume[]>;
}
