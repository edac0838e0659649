import { Gauge, Registry } from 'prom-client';
import { SINGLETON_LOCK_IDS } from './lease-holders';

/** What this process owns, read at every scrape: shards held and singletons run (0 or 1 each). */
export function registerOwnershipMetrics(registry: Registry, shards: number, holdings: () => { shards: number[]; singletons: string[] }): void {
  new Gauge({
    name: 'orch_cluster_shards_held',
    help: `Shards of the background work (of ${shards}) this process owns`,
    registers: [registry],
    collect() {
      this.set(holdings().shards.length);
    },
  });
  new Gauge({
    name: 'orch_cluster_singleton_running',
    help: 'Whether this process runs the singleton (projections, relay): 1 or 0',
    labelNames: ['singleton'],
    registers: [registry],
    collect() {
      const running = new Set(holdings().singletons);
      for (const name of Object.keys(SINGLETON_LOCK_IDS)) this.set({ singleton: name }, running.has(name) ? 1 : 0);
    },
  });
}
