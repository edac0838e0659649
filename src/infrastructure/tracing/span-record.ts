import { SpanAttributes, SpanOptions } from '../../application/ports/tracing.port';

/**
 * A finished span as the request path records it: ids, times (whole epoch microseconds, as Zipkin takes them)
 * and what happened. The OpenTelemetry SDK makes the span from it on the export thread.
 */
export type SpanRecord = {
  name: string;
  kind: NonNullable<SpanOptions['kind']>;
  traceId: string;
  spanId: string;
  /** Absent for the root of a trace. */
  parentSpanId?: string;
  startUs: number;
  endUs: number;
  attributes?: SpanAttributes;
  events?: Array<[name: string, atUs: number]>;
  error?: { name: string; message: string; stack?: string };
};

/** What the export thread is told and what it answers. */
export type ToExportThread = { kind: 'spans'; spans: SpanRecord[] } | { kind: 'flush'; id: number };
export type FromExportThread = { kind: 'taken'; count: number } | { kind: 'flushed'; id: number };

export type ExportThreadData = { zipkinUrl: string; serviceName: string };
