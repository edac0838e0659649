import { RequestThrottle, ThrottleKind } from '../../application/ports/request-throttle.port';
import { Bucket, BucketRule, refilled, shareOf, takeFrom } from './token-bucket';

/** The rule of each kind of limit; null: that limit is off. */
export type ThrottleRules = Record<ThrottleKind, BucketRule | null>;

export type ThrottleParts = {
  rules: ThrottleRules;
  nowMs: () => number;
  /**
   * This process's share of every limit: 1 alone, 1/N when N live processes serve the same clients.
   * Each holds its share, so together they never admit more than the limit, however a load
   * balancer spreads the requests (a client that reaches one process only gets its share).
   */
  share: () => number;
  /** Told of each refusal (for the metrics). */
  refused?: (kind: ThrottleKind) => void;
};

/** Buckets idle this long are dropped when full again (an absent bucket is a full one). */
const SWEEP_EVERY_MS = 30_000;

/** Token buckets kept in this process's memory, one map per kind of limit. */
export class BucketThrottle implements RequestThrottle {
  private readonly buckets = new Map<ThrottleKind, Map<string, Bucket>>();
  private lastSweepMs = 0;

  constructor(private readonly parts: ThrottleParts) {}

  take(kind: ThrottleKind, key: string): number | null {
    return this.decide(kind, key, true);
  }

  waitFor(kind: ThrottleKind, key: string): number | null {
    return this.decide(kind, key, false);
  }

  /** Buckets held now (for the memory of a long run). */
  size(): number {
    let total = 0;
    for (const map of this.buckets.values()) total += map.size;
    return total;
  }

  private decide(kind: ThrottleKind, key: string, count: boolean): number | null {
    const full = this.parts.rules[kind];
    if (!full) return null;
    const rule = shareOf(full, this.parts.share());
    const now = this.parts.nowMs();
    this.sweep(now);
    let map = this.buckets.get(kind);
    if (!map) this.buckets.set(kind, (map = new Map()));
    const taken = takeFrom(map.get(key), rule, now);
    if (count) map.set(key, taken.bucket);
    if (taken.admitted) return null;
    if (count) this.parts.refused?.(kind);
    return Number.isFinite(taken.waitMs) ? Math.max(1, Math.ceil(taken.waitMs / 1000)) : 3600;
  }

  private sweep(now: number): void {
    if (now - this.lastSweepMs < SWEEP_EVERY_MS) return;
    this.lastSweepMs = now;
    for (const [kind, map] of this.buckets) {
      const full = this.parts.rules[kind];
      if (!full) continue;
      const rule = shareOf(full, this.parts.share());
      for (const [key, bucket] of map) if (refilled(bucket, rule, now).tokens >= rule.burst) map.delete(key);
    }
  }
}
