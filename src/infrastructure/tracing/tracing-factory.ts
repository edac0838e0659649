import { NO_TRACING, Tracing } from '../../application/ports/tracing.port';
import { TracingConfig } from '../config/tracing-config';
import { OtelTracing } from './otel-tracing';

/** Tracing to Zipkin when ORCH_ZIPKIN_URL is set (service `orchestrator`, `orchestrator-relay`, ...), else none. */
export function tracingFor(config: TracingConfig, processKind: string): Tracing & { shutdown?: () => Promise<void> } {
  if (!config.zipkinUrl) return NO_TRACING;
  return new OtelTracing(config.zipkinUrl, processKind === 'orchestrator' ? 'orchestrator' : `orchestrator-${processKind}`, config.traceSampleRatio);
}
