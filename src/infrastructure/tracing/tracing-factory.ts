import { NO_TRACING, Tracing } from '../../application/ports/tracing.port';
import { TracingConfig } from '../config/tracing-config';
import { JsonLogger } from '../logging/json-logger';
import { OtelTracing } from './otel-tracing';

export type ProcessTracing = Tracing & { shutdown?: () => Promise<void>; droppedSpans?: () => number };

/** Tracing to Zipkin when ORCH_ZIPKIN_URL is set (service `orchestrator`, `orchestrator-relay`, ...), else none. */
export function tracingFor(config: TracingConfig, processKind: string, logger: JsonLogger): ProcessTracing {
  if (!config.zipkinUrl) return NO_TRACING;
  const serviceName = processKind === 'orchestrator' ? 'orchestrator' : `orchestrator-${processKind}`;
  const options = { zipkinUrl: config.zipkinUrl, serviceName, sampleRatio: config.traceSampleRatio, maxFanout: config.traceMaxFanout };
  return new OtelTracing(options, (error) =>
    logger.errorWith('span export thread failed: spans are dropped from now on (orch_trace_spans_dropped_total)', { error: error.message }),
  );
}
