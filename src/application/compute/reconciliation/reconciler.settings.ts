export type PowerDriftPolicy = 'accept' | 'restore';
/** ORCH_RECONCILE_INTERVAL_MS, ORCH_ORPHAN_GRACE_MS, ORCH_POWER_DRIFT_POLICY, ORCH_RECONCILE_CONCURRENCY. */
export type ReconcilerSettings = { intervalMs: number; orphanGraceMs: number; powerDriftPolicy: PowerDriftPolicy; concurrency: number };
export const RECONCILER_SETTINGS = Symbol('ReconcilerSettings');

/** Lifecycle events trigger a pass of their host at most this often (a launch storm sends one per guest). */
export const EVENT_DEBOUNCE_MS = 500;

/**
 * A host registered a moment ago that the read model does not show yet is looked at again this soon
 * (not a whole interval later: its first pass is what starts watching its lifecycle events).
 */
export const NOT_YET_VISIBLE_RETRY_MS = 1_000;

/** Block storage is not per host: its orphans are kept, and its pass is keyed, under this pseudo-host. */
export const BLOCK_STORAGE_KEY = { id: 'block-storage', name: 'block storage' };
