/** Something a process starts and stops: a worker, the projections, a relay, a connection to close. */
export type ProcessPart = { readonly name: string; start(): Promise<void>; stop(): Promise<void> };

/** The parts a process role starts, in order (see Lifecycle). */
export const PROCESS_PARTS = Symbol('ProcessParts');

const nothing = async () => undefined;

/** A part that only needs stopping (a connection opened with the module). */
export const closing = (name: string, close: () => Promise<void>): ProcessPart => ({ name, start: nothing, stop: close });
/** A part that only needs starting. */
export const starting = (name: string, start: () => Promise<void>): ProcessPart => ({ name, start, stop: nothing });
export const part = (name: string, p: { start(): Promise<void>; stop(): Promise<void> }): ProcessPart => ({
  name,
  start: () => p.start(),
  stop: () => p.stop(),
});
