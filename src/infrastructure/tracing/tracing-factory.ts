import { NO_TRACING, Tracing } from '../../application/ports/tracing.port';
import { OtelTracing } from './otel-tracing';

/** Tracing to Zipkin when ORCH_ZIPKIN_URL is set (service `orchestrator`, `orchestrator-relay`, ...), else none. */
export function tracingFor(zipkinUrl: string | null, processKind: string): Tracing & { shutdown?: () => Promise<void> } {
  if (!zipkinUrl) return NO_TRACING;
  return new OtelTracing(zipkinUrl, processKind === 'orchestrator' ? 'orchestrator' : `orchestrator-${processKind}`);
}
