/**
 * Which background work this process owns. With one process it owns everything; several
 * orchestrators on one database share the work out in shards by key (see ClusterMembership), so a
 * key is driven by one process at a time and by another after that one let go or died.
 */
export interface WorkOwnership {
  /** Whether this process owns the key's work now. */
  owns(key: string): boolean;
  /**
   * Registers a worker: `gained` when shards were taken (pick up their unfinished work; called at
   * once if some are held already), `releasing` before shards are let go, with which keys leave
   * (their steps in flight finish before the next owner may start). Returns the unregistration.
   */
  watch(watcher: OwnershipWatcher): () => void;
}

export type OwnershipWatcher = {
  gained(): void;
  releasing(leaves: (key: string) => boolean): Promise<void>;
};

export const WORK_OWNERSHIP = Symbol('WorkOwnership');

/** A process that is alone: it owns all work. */
export const ALL_WORK: WorkOwnership = {
  owns: () => true,
  watch: (watcher) => {
    watcher.gained();
    return () => undefined;
  },
};
