import { performance } from 'node:perf_hooks';
import { OpenSpan, SpanAttributes, SpanOptions, StartedSpan, Tracing } from '../../application/ports/tracing.port';
import { SpanExportThread } from './span-export-thread';
import { SpanRecord } from './span-record';
import { isInvalidId, newSpanId, newTraceId } from './trace-ids';

/** W3C Trace Context, version 00: `00-<trace id>-<parent id>-<flags>`. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Now, in whole epoch microseconds (Zipkin refuses a fraction), from the monotonic clock. */
const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

export type OtelTracingOptions = {
  zipkinUrl: string;
  serviceName: string;
  /** The share of new traces recorded (1 unless given); a trace continued from a parent keeps the parent's decision. */
  sampleRatio?: number;
  /** How many pieces of work fanned out from one span are recorded (no limit unless given); see Tracing.fanOutFrom. */
  maxFanout?: number;
};

/**
 * Tracing with the OpenTelemetry SDK, exported to Zipkin. Parents are passed explicitly as W3C
 * traceparents (no context manager: see the Tracing port); the work in flight is bound to its
 * trace in a map by the id it goes by. A span is recorded here as ids and times only; the SDK
 * makes and exports it on a thread of its own (SpanExportThread).
 */
export class OtelTracing implements Tracing {
  readonly enabled = true;
  private readonly exporter: SpanExportThread;
  private readonly bound = new Map<string, OpenSpan>();

  private readonly sampleRatio: number;
  private readonly maxFanout: number;

  constructor(options: OtelTracingOptions, onExportFailure: (error: Error) => void = () => undefined) {
    this.exporter = new SpanExportThread({ zipkinUrl: options.zipkinUrl, serviceName: options.serviceName }, onExportFailure);
    this.sampleRatio = options.sampleRatio ?? 1;
    this.maxFanout = options.maxFanout ?? Infinity;
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
    if (parent ? !parent.sampled : Math.random() >= this.sampleRatio)
      return unrecorded(parent ? (options.parent as string) : `00-${newTraceId()}-${newSpanId()}-00`);
    return new RecordedSpan(this.exporter, {
      name,
      kind: options.kind ?? 'internal',
      traceId: parent?.traceId ?? newTraceId(),
      spanId: newSpanId(),
      parentSpanId: parent?.spanId,
      startUs: nowUs(),
      endUs: 0,
      attributes: options.attributes,
    });
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

  fanOutFrom(span: OpenSpan): string | undefined {
    return span instanceof RecordedSpan ? span.fanOut(this.maxFanout) : span.traceparent;
  }

  /** Spans dropped because the export thread fell behind or failed. */
  droppedSpans(): number {
    return this.exporter.dropped;
  }

  /** Exports everything recorded so far. */
  flush(): Promise<void> {
    return this.exporter.flush();
  }

  /** Exports what is still buffered; called as the process stops. */
  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}

/** A span being recorded: ended, it is handed to the export thread. */
class RecordedSpan implements StartedSpan {
  readonly traceparent: string;
  /** Pieces of work fanned out from it, recorded and not (see fanOutFrom). */
  private recordedFanout = 0;
  private untracedFanout = 0;

  constructor(
    private readonly exporter: SpanExportThread,
    private readonly record: SpanRecord,
  ) {
    this.traceparent = `00-${record.traceId}-${record.spanId}-01`;
  }

  set(attributes: SpanAttributes): void {
    // The attributes the span began with may be shared with other spans (a host's): never changed in place.
    this.record.attributes = { ...this.record.attributes, ...attributes };
  }

  event(name: string): void {
    (this.record.events ??= []).push([name, nowUs()]);
  }

  /** The parent of one more piece of work fanned out from this span: itself for the first `max`, then its trace unrecorded. */
  fanOut(max: number): string {
    if (this.recordedFanout < max) {
      this.recordedFanout++;
      return this.traceparent;
    }
    this.untracedFanout++;
    return `${this.traceparent.slice(0, -2)}00`;
  }

  end(error?: unknown): void {
    if (this.record.endUs) return;
    this.record.endUs = nowUs();
    if (this.untracedFanout > 0) this.set({ 'orch.untraced_fanout': this.untracedFanout });
    if (error !== undefined) this.record.error = failure(error);
    this.exporter.record(this.record);
  }
}

type Parent = { traceId: string; spanId: string; sampled: boolean };

/** A parent given as a traceparent; null (a new trace) for none or a malformed one. */
function parsed(traceparent: string | undefined): Parent | null {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match || isInvalidId(match[1]) || isInvalidId(match[2])) return null;
  return { traceId: match[1], spanId: match[2], sampled: (parseInt(match[3], 16) & 1) !== 0 };
}

/** A span of a trace not recorded: the same traceparent passed on, so that everything under it stays unrecorded. */
function unrecorded(traceparent: string): StartedSpan {
  return { traceparent, set: () => undefined, event: () => undefined, end: () => undefined };
}

function failure(error: unknown): NonNullable<SpanRecord['error']> {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) };
}
