import { HrTime, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ExportThreadData, FromExportThread, SpanRecord, ToExportThread } from './span-record';

const KINDS: Record<SpanRecord['kind'], SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** Epoch microseconds as the SDK's [seconds, nanoseconds]. */
const hrTime = (us: number): HrTime => [Math.floor(us / 1e6), (us % 1e6) * 1000];

/** The ids of the span being made: the request path chose them already (they travelled on in traceparents). */
const next = { traceId: '', spanId: '' };

/**
 * The export thread (see SpanExportThread): makes each recorded span with the OpenTelemetry SDK,
 * at the times and with the ids it was recorded with, and exports them to Zipkin in batches.
 */
function serve(data: ExportThreadData): void {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': data.serviceName }),
    idGenerator: { generateTraceId: () => next.traceId, generateSpanId: () => next.spanId },
    // A 1,000-instance launch makes some 20,000 spans in seconds: the queue holds 100,000 (beyond
    // it the SDK drops spans rather than grow without bound).
    spanProcessors: [
      new BatchSpanProcessor(new ZipkinExporter({ url: data.zipkinUrl, serviceName: data.serviceName }), {
        scheduledDelayMillis: 500,
        maxQueueSize: 100_000,
        maxExportBatchSize: 2_048,
      }),
    ],
  });
  const tracer = provider.getTracer('orchestrator');
  const post = (message: FromExportThread) => parentPort?.postMessage(message);

  const make = (record: SpanRecord) => {
    next.traceId = record.traceId;
    next.spanId = record.spanId;
    const parent = record.parentSpanId
      ? trace.setSpanContext(ROOT_CONTEXT, { traceId: record.traceId, spanId: record.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true })
      : ROOT_CONTEXT;
    const span = tracer.startSpan(record.name, { kind: KINDS[record.kind], attributes: record.attributes, startTime: hrTime(record.startUs) }, parent);
    for (const [name, atUs] of record.events ?? []) span.addEvent(name, hrTime(atUs));
    if (record.error) {
      span.recordException(record.error, hrTime(record.endUs));
      span.setStatus({ code: SpanStatusCode.ERROR, message: record.error.message });
    }
    span.end(hrTime(record.endUs));
  };

  parentPort?.on('message', (message: ToExportThread) => {
    if (message.kind === 'spans') {
      message.spans.forEach(make);
      post({ kind: 'taken', count: message.spans.length });
    } else {
      void provider.forceFlush().finally(() => post({ kind: 'flushed', id: message.id }));
    }
  });
}

/**
 * Exporting is background work: on Linux this thread lowers its own priority to the lowest, so
 * that it takes only CPU time the work traced (and the garbage collector's helper threads) leave.
 */
function yieldToTheWork(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 19);
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}

yieldToTheWork();
serve(workerData as ExportThreadData);
