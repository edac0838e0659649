export type Backoff = { baseMs: number; capMs: number };

/**
 * The delay before retry number `attempt` (1 for the first retry): capped exponential, with
 * "equal jitter" (half the step fixed, half random) so that many keys failing together spread
 * out, yet none comes back sooner than half its step.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const step = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return step / 2 + random() * (step / 2);
}
