import { Counter, Gauge, Registry } from 'prom-client';
import { WorkLoopStats } from '../../application/ports/metrics.port';

/** The reconcile loops' gauges (read from each loop at scrape time) and counters. */
export class WorkLoopMetrics {
  private readonly loops = new Map<string, () => WorkLoopStats>();
  private readonly failures: Counter;
  private readonly gaveUp: Counter;

  constructor(registry: Registry) {
    const gauge = (name: string, help: string, read: (s: WorkLoopStats) => number, labelNames: string[] = ['loop']) => {
      const loops = this.loops;
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const [loop, stats] of loops) this.set({ loop }, read(stats()));
        },
      });
    };
    gauge('orch_work_ready_keys', 'Keys waiting for a free worker slot', (s) => s.ready);
    gauge('orch_work_in_flight_keys', 'Keys being reconciled now', (s) => s.inFlight);
    gauge('orch_work_failing_keys', 'Keys whose last reconcile failed, backing off before the next attempt', (s) => s.failing);
    gauge('orch_work_waiting_keys', 'Keys only waiting on something unreachable (a host down), retried at the capped interval', (s) => s.waiting);
    gauge('orch_work_oldest_retry_seconds', 'Age of the oldest failure not yet resolved', (s) => s.oldestRetrySeconds);
    this.failures = new Counter({
      name: 'orch_work_failures_total',
      help: 'Reconciles that failed, by loop and whether they were only waiting',
      labelNames: ['loop', 'kind'],
      registers: [registry],
    });
    this.gaveUp = new Counter({
      name: 'orch_work_gave_up_total',
      help: 'Keys given up on after failing too often; each ended in a recorded terminal state',
      labelNames: ['loop'],
      registers: [registry],
    });
  }

  register(loop: string, stats: () => WorkLoopStats): void {
    this.loops.set(loop, stats);
  }

  failed(loop: string, waiting: boolean): void {
    this.failures.inc({ loop, kind: waiting ? 'waiting' : 'failing' });
  }

  gaveUpOn(loop: string): void {
    this.gaveUp.inc({ loop });
  }
}
