/** Who did what, on whose behalf, and why. Carried by every event. */
export type EventMetadata = {
  readonly principal: string;
  readonly projectId: string | null;
  readonly requestId: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly at: string;
  /** The region whose store recorded it (ORCH_REGION), stamped by the store; absent on events older than regions. */
  readonly region?: string;
  /** The W3C traceparent of the span that appended it, when tracing is on: the work it triggers continues that trace. */
  readonly traceparent?: string;
};

/** An event ready to be appended: the store assigns version and position. */
export type NewEvent = {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
};

/** An event as recorded: the envelope of the global log. */
export type RecordedEvent = NewEvent & {
  readonly stream: string;
  /** 1-based version within the stream. */
  readonly version: number;
  /** Global, strictly increasing position in commit order. */
  readonly position: number;
};

/**
 * What the read side folds of an event: its position, type, data and time. A catch-up or replay
 * reads only this much of the log (less than half of the envelope's bytes to read and parse); a
 * RecordedEvent is one too, so projections take either.
 */
export type EventCore = Pick<RecordedEvent, 'position' | 'type' | 'data'> & { readonly metadata: Pick<EventMetadata, 'at'> };

/**
 * Which event types a reader folds: these exact types, and every type starting with one of the
 * prefixes (a family such as Instance…, so that a new member cannot be forgotten).
 */
export type EventTypes = { readonly types: readonly string[]; readonly prefixes: readonly string[] };

/** Whether a type is one of the selection's. */
export function typeSelector(selection: EventTypes): (type: string) => boolean {
  const types = new Set(selection.types);
  return (type) => types.has(type) || selection.prefixes.some((prefix) => type.startsWith(prefix));
}

/** The types either selection takes. */
export function eitherTypes(a: EventTypes, b: EventTypes): EventTypes {
  return { types: [...new Set([...a.types, ...b.types])], prefixes: [...new Set([...a.prefixes, ...b.prefixes])] };
}

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's current version. */
export type ExpectedVersion = number | 'no_stream' | 'any';

export type AppendResult = { readonly nextVersion: number; readonly positions: readonly number[] };

export class WrongExpectedVersion extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Wrong expected version for ${stream}: expected ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedVersion';
  }
}

export type ReadAllFilter = {
  readonly types?: readonly string[];
  readonly stream?: string;
  readonly projectId?: string;
  /** metadata.principal */
  readonly principal?: string;
  /** metadata.at within [from, to) (UTC ISO times, compared as text: the format is fixed). */
  readonly from?: string;
  readonly to?: string;
};

/** Whether an event passes a filter (for followers that filter what they read). */
export function matchesFilter(e: RecordedEvent, f: ReadAllFilter): boolean {
  return (
    (!f.types?.length || f.types.includes(e.type)) &&
    (!f.stream || e.stream === f.stream) &&
    (!f.projectId || e.metadata.projectId === f.projectId) &&
    (!f.principal || e.metadata.principal === f.principal) &&
    (!f.from || e.metadata.at >= f.from) &&
    (!f.to || e.metadata.at < f.to)
  );
}

export type SubscribeOptions = {
  batchSize?: number;
  /**
   * When fewer than a full batch are there, wait this long for more before handing them over:
   * fewer, larger batches for a follower whose cost is per batch (a transaction each).
   */
  gatherMs?: number;
};

export type SubscriptionHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export type Subscription = {
  /** Resolves when the subscription has stopped (after `stop()`, or when the handler failed). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
};

export interface EventStore {
  append(stream: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /** All events of a stream from a version (inclusive, default 1), in version order. */
  readStream(stream: string, fromVersion?: number): Promise<RecordedEvent[]>;
  /** Up to `limit` events with position > `after`, in position order. */
  readAll(after: number, limit: number, filter?: ReadAllFilter): Promise<RecordedEvent[]>;
  /**
   * Up to `limit` events with `after` < position <= `through`, in position order, as EventCores: a
   * range read, so that a catch-up can read the next ranges while it folds one. With `types`, only
   * events of those types (a replay's thread reads only what its projections fold).
   */
  readCores(after: number, through: number, limit: number, types?: EventTypes): Promise<EventCore[]>;
  /** The position of the last committed event (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Catch up from `after`, then follow live appends. Batches arrive in position order with no gaps
   * and no repeats; the next batch is read only after the handler's promise resolved.
   */
  subscribe(after: number, handler: SubscriptionHandler, options?: SubscribeOptions): Subscription;
  /** True when the backing database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
