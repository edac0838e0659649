/**
 * The request rate limits: token buckets per client address (every request), per user (every
 * authenticated request) and per login name (failed logins only).
 */
export type ThrottleKind = 'address' | 'user' | 'failedLogin';

export interface RequestThrottle {
  /** Counts one against the key's bucket: null when admitted, else the whole seconds to wait before one is. */
  take(kind: ThrottleKind, key: string): number | null;
  /** Like take, but counts nothing: whether one would be admitted now. */
  waitFor(kind: ThrottleKind, key: string): number | null;
}
export const REQUEST_THROTTLE = Symbol('RequestThrottle');

/** No limit at all (unit tests of the code around it). */
export const UNTHROTTLED: RequestThrottle = { take: () => null, waitFor: () => null };
