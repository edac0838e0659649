import { Backoff } from './backoff';

/**
 * How background work retries (ORCH_WORK_*): a key whose reconcile keeps failing is retried with
 * capped exponential backoff and given up on after `maxAttempts` failures in a row or `giveUpAfterMs`
 * since the first of them, whichever comes first; work that is only waiting (a host down) keeps
 * being retried at the capped interval.
 */
export type WorkSettings = { backoff: Backoff; maxAttempts: number; giveUpAfterMs: number };
export const WORK_SETTINGS = Symbol('WorkSettings');
