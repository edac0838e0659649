import { Counter, Gauge, Registry } from 'prom-client';
import { ThrottleKind } from '../../application/ports/request-throttle.port';

/** Refusals by limit, the buckets held and this process's share of the limits; returns what counts a refusal. */
export function registerRateLimitMetrics(registry: Registry, held: () => number, share: () => number): (kind: ThrottleKind) => void {
  const refused = new Counter({
    name: 'orch_rate_limited_total',
    help: 'Requests refused for a rate limit (429), by limit: address, user, failedLogin',
    labelNames: ['limit'],
    registers: [registry],
  });
  new Gauge({
    name: 'orch_rate_limit_buckets',
    help: 'Token buckets this process holds (clients, users and login names seen lately)',
    registers: [registry],
    collect() {
      this.set(held());
    },
  });
  new Gauge({
    name: 'orch_rate_limit_share',
    help: "This process's share of every rate limit (1 / the orchestrators alive on its database)",
    registers: [registry],
    collect() {
      this.set(share());
    },
  });
  return (kind) => refused.inc({ limit: kind });
}
