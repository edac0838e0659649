/** Attributes of a span: what it acted on (a stream, a host, an HTTP status). */
export type SpanAttributes = Record<string, string | number | boolean>;

export type SpanOptions = {
  kind?: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
  /** The W3C traceparent of the parent (a request's, an event's, a message header's); none: a new trace. */
  parent?: string;
  attributes?: SpanAttributes;
};

/** A span while it runs: its traceparent (to hand to what it causes), attributes known only later, timed events. */
export type OpenSpan = {
  readonly traceparent: string | undefined;
  set(attributes: SpanAttributes): void;
  /** Something that happened now within the span (Zipkin shows it as an annotation). */
  event(name: string): void;
};

/** A span started by hand (one that begins and ends apart from a single call). */
export type StartedSpan = OpenSpan & { end(error?: unknown): void };

/**
 * Distributed tracing: spans for the API request, the command, the append, each saga step and
 * driver call, and the billing consumer, all in one trace. A trace crosses the log itself: events
 * carry the traceparent of the command that appended them (metadata.traceparent), the work they
 * trigger continues that trace, and the relay passes it on in a message header.
 *
 * The parent of every span is given explicitly: no context follows async calls on its own (on
 * Node 20 that costs a hook on every promise of the process). Work in flight is bound to its span
 * by the id it goes by (`within`): a request by its request id while it is answered, an instance
 * by its id while a provisioning step runs for it; what runs on its behalf looks the span up by
 * those ids (`spanOf`, `traceOf`). Off (the default): no span, no cost.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` inside a new span. */
  span<T>(name: string, options: SpanOptions, fn: (span: OpenSpan) => Promise<T>): Promise<T>;
  start(name: string, options: SpanOptions): StartedSpan;
  /** Binds the work `key` names to its span while `fn` runs. */
  within<T>(key: string, span: OpenSpan, fn: () => Promise<T>): Promise<T>;
  /** The span bound to `key` (see `within`). */
  spanOf(key: string | null | undefined): OpenSpan | undefined;
  /** The traceparent of the span bound to the first of `keys` bound to one. */
  traceOf(...keys: Array<string | null | undefined>): string | undefined;
  /**
   * The parent of one more piece of work fanned out from `span` (a request's commands): the span's
   * own traceparent for the first ORCH_TRACE_MAX_FANOUT, then the same trace marked not recorded,
   * so that the rest of a large launch (and all it causes) costs next to nothing; the span counts
   * them (attribute `orch.untraced_fanout`).
   */
  fanOutFrom(span: OpenSpan): string | undefined;
}
export const TRACING = Symbol('Tracing');

const noSpan: StartedSpan = { traceparent: undefined, set: () => undefined, event: () => undefined, end: () => undefined };

/** Tracing off: every call passes straight through. */
export const NO_TRACING: Tracing = {
  enabled: false,
  span: (_name, _options, fn) => fn(noSpan),
  start: () => noSpan,
  within: (_key, _span, fn) => fn(),
  spanOf: () => undefined,
  traceOf: () => undefined,
  fanOutFrom: (span) => span.traceparent,
};

/**
 * A call to something outside (a driver) as a client span of the trace it was made for; untraced
 * when made for none (a reconciler's periodic look at a host is not a trace of its own).
 */
export function tracedCall<T>(tracing: Tracing, name: string, parent: string | undefined, attributes: SpanAttributes, call: () => Promise<T>): Promise<T> {
  return parent ? tracing.span(name, { kind: 'client', parent, attributes }, call) : call();
}
