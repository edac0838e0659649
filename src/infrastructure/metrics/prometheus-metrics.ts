import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Metrics, WorkLoopStats } from '../../application/ports/metrics.port';
import { WorkLoopMetrics } from './work-loop-metrics';

/** Prometheus metrics of one process, served at /metrics. */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'orch_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'orch_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly appended = new Counter({ name: 'orch_events_appended_total', help: 'Events appended to the store', registers: [this.registry] });
  private readonly conflicts = new Counter({
    name: 'orch_command_conflicts_total',
    help: 'Appends refused for a wrong expected version (retried or reported)',
    registers: [this.registry],
  });

  private readonly failures = new Counter({
    name: 'orch_failure_events_total',
    help: 'Events recording a failure (types ending in Failed: InstanceFailed, InstanceSpawnFailed, VolumeAttachFailed, ...), by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private lag: (() => Promise<number | null>) | null = null;
  private spansDropped: () => number = () => 0;

  private readonly work = new WorkLoopMetrics(this.registry);

  /** `failureTypes`: the event types counted as failures, exported at 0 from the start (an alert on `increase` needs the zero). */
  constructor(failureTypes: readonly string[] = []) {
    collectDefaultMetrics({ register: this.registry, prefix: 'orch_' });
    for (const type of failureTypes) this.failures.inc({ type }, 0);
    const lag = () => this.lag;
    const dropped = () => this.spansDropped();
    new Counter({
      name: 'orch_trace_spans_dropped_total',
      help: 'Spans recorded but not exported: the export thread fell too far behind, or failed',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(dropped());
      },
    });
    new Gauge({
      name: 'orch_projection_lag_events',
      help: 'Events appended to the log that the read models have not folded yet (only from the process running the projections)',
      registers: [this.registry],
      async collect() {
        const read = lag();
        const value = read ? await read() : null;
        if (value === null) this.reset();
        else this.set(value);
      },
    });
  }

  /** Where the process's tracing counts the spans it dropped (its export fell behind or failed). */
  tracingDrops(read: () => number): void {
    this.spansDropped = read;
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  eventsAppended(types: readonly string[]): void {
    this.appended.inc(types.length);
    for (const type of types) if (type.endsWith('Failed')) this.failures.inc({ type });
  }

  projectionLag(read: () => Promise<number | null>): void {
    this.lag = read;
  }

  commandConflict(): void {
    this.conflicts.inc();
  }

  workLoop(loop: string, stats: () => WorkLoopStats): void {
    this.work.register(loop, stats);
  }

  workFailed(loop: string, waiting: boolean): void {
    this.work.failed(loop, waiting);
  }

  workGaveUp(loop: string): void {
    this.work.gaveUpOn(loop);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
