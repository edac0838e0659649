/** Data volumes the volume worker drives at the same time (ORCH_VOLUME_CONCURRENCY). */
export type StorageSettings = { volumeConcurrency: number };
export const STORAGE_SETTINGS = Symbol('StorageSettings');
