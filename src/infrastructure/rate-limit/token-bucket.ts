/** A rate: `perSecond` tokens added back each second, up to `burst`. */
export type BucketRule = { perSecond: number; burst: number };

/** A bucket's tokens as of a moment (ms). */
export type Bucket = { tokens: number; atMs: number };

export type Taken = { bucket: Bucket; admitted: boolean; waitMs: number };

/** The bucket refilled up to `nowMs` (never above the burst; a clock that went back refills nothing). */
export function refilled(bucket: Bucket | undefined, rule: BucketRule, nowMs: number): Bucket {
  if (!bucket) return { tokens: rule.burst, atMs: nowMs };
  const elapsed = Math.max(0, nowMs - bucket.atMs);
  return { tokens: Math.min(rule.burst, bucket.tokens + (elapsed * rule.perSecond) / 1000), atMs: Math.max(nowMs, bucket.atMs) };
}

/**
 * Takes `cost` tokens if the bucket holds them. When it does not, nothing is taken and `waitMs`
 * says when it will (infinite for a rule that never refills).
 */
export function takeFrom(bucket: Bucket | undefined, rule: BucketRule, nowMs: number, cost = 1): Taken {
  const now = refilled(bucket, rule, nowMs);
  if (now.tokens >= cost) return { bucket: { tokens: now.tokens - cost, atMs: now.atMs }, admitted: true, waitMs: 0 };
  const waitMs = rule.perSecond > 0 ? Math.ceil(((cost - now.tokens) * 1000) / rule.perSecond) : Number.POSITIVE_INFINITY;
  return { bucket: now, admitted: false, waitMs };
}

/**
 * A rule scaled to a share of it: this process's part of a limit that several processes hold
 * together. The burst stays at least one request, or a small share would admit none at all.
 */
export const shareOf = (rule: BucketRule, share: number): BucketRule => ({ perSecond: rule.perSecond * share, burst: Math.max(1, rule.burst * share) });
