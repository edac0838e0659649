import { ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { randomBytes } from 'node:crypto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenSpan, SpanOptions, StartedSpan, Tracing } from '../../application/ports/tracing.port';

const KINDS: Record<NonNullable<SpanOptions['kind']>, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** W3C Trace Context, version 00: `00-<trace id>-<parent id>-<flags>`. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_ID = /^0+$/;

/**
 * Tracing with the OpenTelemetry SDK, exported to Zipkin in batches. Parents are passed
 * explicitly as W3C traceparents (no context manager: see the Tracing port); the work in flight
 * is bound to its trace in a map by the id it goes by.
 */
export class OtelTracing implements Tracing {
  readonly enabled = true;
  private readonly provider: BasicTracerProvider;
  private readonly tracer;
  private readonly bound = new Map<string, OpenSpan>();

  /** `sampleRatio`: the share of new traces recorded; a trace continued from a parent keeps the parent's decision. */
  constructor(
    zipkinUrl: string,
    serviceName: string,
    private readonly sampleRatio = 1,
  ) {
    // A 1,000-instance launch makes some 50,000 spans in seconds: the queue holds 100,000 (beyond
    // it the SDK drops spans rather than slow the work down).
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceName }),
      spanProcessors: [
        new BatchSpanProcessor(new ZipkinExporter({ url: zipkinUrl, serviceName }), {
          scheduledDelayMillis: 500,
          maxQueueSize: 100_000,
          maxExportBatchSize: 2_048,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('orchestrator');
  }

  async span<T>(name: string, options: SpanOptions, fn: (span: OpenSpan) => Promise<T>): Promise<T> {
    const span = this.start(name, options);
    try {
      const result = await fn(span);
      span.end();
      return result;
    } catch (error) {
      span.end(error);
      throw error;
    }
  }

  start(name: string, options: SpanOptions): StartedSpan {
    const parent = parsed(options.parent);
    // A trace not recorded costs next to nothing: no span is made, and the decision travels on in the traceparent.
    if (parent ? !parent.sampled : Math.random() >= this.sampleRatio) return unrecorded(parent ? (options.parent as string) : newUnsampledTraceparent());
    const span = this.tracer.startSpan(name, { kind: KINDS[options.kind ?? 'internal'], attributes: options.attributes }, parentContext(parent));
    const { traceId, spanId, traceFlags } = span.spanContext();
    return {
      traceparent: `00-${traceId}-${spanId}-${traceFlags & TraceFlags.SAMPLED ? '01' : '00'}`,
      set: (attributes) => span.setAttributes(attributes),
      event: (name) => span.addEvent(name),
      end: (error?: unknown) => {
        if (error !== undefined) fail(span, error);
        span.end();
      },
    };
  }

  async within<T>(key: string, span: OpenSpan, fn: () => Promise<T>): Promise<T> {
    this.bound.set(key, span);
    try {
      return await fn();
    } finally {
      // Another piece of work may have bound the same key since (a request id a client reused).
      if (this.bound.get(key) === span) this.bound.delete(key);
    }
  }

  spanOf(key: string | null | undefined): OpenSpan | undefined {
    return key ? this.bound.get(key) : undefined;
  }

  traceOf(...keys: Array<string | null | undefined>): string | undefined {
    for (const key of keys) {
      const span = this.spanOf(key);
      if (span) return span.traceparent;
    }
    return undefined;
  }

  /** Exports what is still buffered; called as the process stops. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

type Parent = { traceId: string; spanId: string; sampled: boolean };

/** A parent given as a traceparent; null (a new trace) for none or a malformed one. */
function parsed(traceparent: string | undefined): Parent | null {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match || INVALID_ID.test(match[1]) || INVALID_ID.test(match[2])) return null;
  return { traceId: match[1], spanId: match[2], sampled: (parseInt(match[3], 16) & TraceFlags.SAMPLED) !== 0 };
}

function parentContext(parent: Parent | null) {
  if (!parent) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: parent.traceId, spanId: parent.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
}

/** A span of a trace not recorded: the same traceparent passed on, so that everything under it stays unrecorded. */
function unrecorded(traceparent: string): StartedSpan {
  return { traceparent, set: () => undefined, event: () => undefined, end: () => undefined };
}

const newUnsampledTraceparent = () => `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
