/** Lets a writer wait until the read models include its events (read-your-writes). */
export interface ReadModelProgress {
  /** Resolves once every projection has processed `position`, or after `timeoutMs` (false then). */
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
}
export const READ_MODEL_PROGRESS = Symbol('ReadModelProgress');
