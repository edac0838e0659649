/** The outcome of walking the event log's hash chain. */
export type IntegrityReport =
  | { ok: true; checked: number; headPosition: number; headHash: string }
  | {
      ok: false;
      checked: number;
      /** The first event whose hash does not match its content and the previous event's hash. */
      firstBadPosition: number;
      reason: string;
    };

/** Tamper evidence of the log: every event's hash covers its content and the previous event's hash. */
export interface LogIntegrity {
  verify(): Promise<IntegrityReport>;
}
export const LOG_INTEGRITY = Symbol('LogIntegrity');
