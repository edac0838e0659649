/** Durable positions of log followers that are not projections (the relay): read at start, saved after each batch. */
export interface CheckpointStore {
  get(name: string): Promise<number>;
  save(name: string, position: number): Promise<void>;
}
export const CHECKPOINT_STORE = Symbol('CheckpointStore');
