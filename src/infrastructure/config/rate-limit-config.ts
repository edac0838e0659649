import { ThrottleRules } from '../rate-limit/bucket-throttle';
import { BucketRule } from '../rate-limit/token-bucket';
import { ConfigError } from './config-values';

export type RateLimitConfig = {
  rateLimits: ThrottleRules;
  /** Express's `trust proxy`: whose X-Forwarded-For names the client address; null: none (the peer is the client). */
  trustProxy: string | null;
};

/** `<per second>:<burst>` (e.g. `50:100`) or `off`. */
function rule(env: NodeJS.ProcessEnv, name: string, fallback: BucketRule): BucketRule | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return null;
  const match = /^(\d+(?:\.\d+)?):(\d+)$/.exec(raw);
  const perSecond = match ? Number(match[1]) : NaN;
  const burst = match ? Number(match[2]) : NaN;
  if (!match || !(perSecond > 0) || perSecond > 1e6 || burst < 1 || burst > 1e7) {
    throw new ConfigError(`${name} must be "<per second>:<burst>" (a rate above 0, a burst of at least 1) or "off", got "${raw}"`);
  }
  return { perSecond, burst };
}

export function rateLimitConfig(env: NodeJS.ProcessEnv): RateLimitConfig {
  return {
    rateLimits: {
      address: rule(env, 'ORCH_RATE_LIMIT_ADDRESS', { perSecond: 1000, burst: 2000 }),
      user: rule(env, 'ORCH_RATE_LIMIT_USER', { perSecond: 500, burst: 1000 }),
      failedLogin: rule(env, 'ORCH_RATE_LIMIT_FAILED_LOGINS', { perSecond: 0.2, burst: 10 }),
    },
    trustProxy: env.ORCH_TRUST_PROXY || null,
  };
}
