import { PrometheusMetrics } from './prometheus-metrics';

describe('PrometheusMetrics', () => {
  it("exports the spans tracing dropped, read from the process's tracing when scraped (0 without tracing)", async () => {
    const metrics = new PrometheusMetrics();
    expect((await metrics.render()).body).toMatch(/^orch_trace_spans_dropped_total 0$/m);
    let dropped = 3;
    metrics.tracingDrops(() => dropped);
    expect((await metrics.render()).body).toMatch(/^orch_trace_spans_dropped_total 3$/m);
    dropped = 7;
    expect((await metrics.render()).body).toMatch(/^orch_trace_spans_dropped_total 7$/m);
  });
});
