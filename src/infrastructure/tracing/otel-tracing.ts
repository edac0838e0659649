import { Context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanAttributes, SpanOptions, StartedSpan, Tracing } from '../../application/ports/tracing.port';

const KINDS: Record<NonNullable<SpanOptions['kind']>, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  internal: SpanKind.INTERNAL,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/**
 * Tracing with the OpenTelemetry SDK, exported to Zipkin in batches. The active span follows
 * async calls through AsyncLocalStorage; traceparents are W3C Trace Context strings.
 */
export class OtelTracing implements Tracing {
  readonly enabled = true;
  private readonly provider: BasicTracerProvider;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly tracer;

  constructor(zipkinUrl: string, serviceName: string) {
    // A 1,000-instance launch makes some 40,000 spans in seconds: the queue holds that many (beyond
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
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(this.propagator);
    this.tracer = this.provider.getTracer('orchestrator');
  }

  async span<T>(name: string, options: SpanOptions, fn: (set: (attributes: SpanAttributes) => void) => Promise<T>): Promise<T> {
    const span = this.open(name, options);
    try {
      return await context.with(trace.setSpan(this.parentOf(options), span), () => fn((attributes) => span.setAttributes(attributes)));
    } catch (error) {
      this.fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  start(name: string, options: SpanOptions): StartedSpan {
    const span = this.open(name, options);
    return {
      end: (error?: unknown) => {
        if (error !== undefined) this.fail(span, error);
        span.end();
      },
    };
  }

  traceparent(): string | undefined {
    return trace.getSpan(context.active()) ? this.traceparentOf(context.active()) : undefined;
  }

  /** Exports what is still buffered; called as the process stops. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }

  private open(name: string, options: SpanOptions): Span {
    return this.tracer.startSpan(name, { kind: KINDS[options.kind ?? 'internal'], attributes: options.attributes }, this.parentOf(options));
  }

  private parentOf(options: SpanOptions): Context {
    if (!options.parent) return context.active();
    return this.propagator.extract(
      ROOT_CONTEXT,
      { traceparent: options.parent },
      { get: (carrier, key) => carrier[key as 'traceparent'], keys: (c) => Object.keys(c) },
    );
  }

  private traceparentOf(ctx: Context): string | undefined {
    const carrier: Record<string, string> = {};
    this.propagator.inject(ctx, carrier, { set: (c, key, value) => (c[key] = value) });
    return carrier.traceparent;
  }

  private fail(span: Span, error: unknown): void {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
}
