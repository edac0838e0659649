/** Attributes of a span: what it acted on (a stream, a host, an HTTP status). */
export type SpanAttributes = Record<string, string | number | boolean>;

export type SpanOptions = {
  kind?: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
  /** A W3C traceparent to continue (an event's, a message header's); else the active span's trace. */
  parent?: string;
  attributes?: SpanAttributes;
};

/** A span started by hand (one that begins and ends apart from a single call). */
export type StartedSpan = { end(error?: unknown): void };

/**
 * Distributed tracing: spans for the API request, the command, the append, each saga step and
 * driver call, and the billing consumer, all in one trace. A trace crosses the log itself: events
 * carry the traceparent of the span that appended them (metadata.traceparent), the work they
 * trigger continues that trace, and the relay passes it on in a message header. Off (the
 * default): no span, no cost.
 */
export interface Tracing {
  readonly enabled: boolean;
  /** Runs `fn` inside a new span; `set` adds attributes known only later (a status). */
  span<T>(name: string, options: SpanOptions, fn: (set: (attributes: SpanAttributes) => void) => Promise<T>): Promise<T>;
  start(name: string, options: SpanOptions): StartedSpan;
  /** The active span's traceparent, undefined outside a span. */
  traceparent(): string | undefined;
}
export const TRACING = Symbol('Tracing');

const noSpan: StartedSpan = { end: () => undefined };

/** Tracing off: every call passes straight through. */
export const NO_TRACING: Tracing = {
  enabled: false,
  span: (_name, _options, fn) => fn(() => undefined),
  start: () => noSpan,
  traceparent: () => undefined,
};
