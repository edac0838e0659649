import { EVENT_SCHEMAS } from '../../domain/event-schemas';
import { Inject, Injectable } from '@nestjs/common';
import { Decider, DomainEvent } from '../../domain/shared/decider';
import { CLOCK, Clock } from '../ports/clock.port';
import { AppendResult, EVENT_STORE, EventStore, NewEvent, WrongExpectedVersion } from '../ports/event-store.port';
import { ID_GENERATOR, IdGenerator } from '../ports/id-generator.port';
import { METRICS, Metrics } from '../ports/metrics.port';
import { TRACING, Tracing } from '../ports/tracing.port';
import { CommandTrace, inCommandTrace } from './command-tracing';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../ports/read-model-progress.port';
import { ApplicationError } from './application-error';
import { CommandContext } from './command-context';
import { sleep } from './sleep';
import { Backoff, backoffDelay } from './work/backoff';

export type Execution<S, E> = {
  readonly state: S;
  readonly events: readonly E[];
  /** Position of the last appended event; 0 when the command changed nothing. */
  readonly position: number;
};

export const MAX_COMMAND_ATTEMPTS = 10;

/**
 * The wait before deciding again after another process won the append: jittered so that the
 * processes contending for one hot stream (a project's quota under a burst) do not collide again
 * in lockstep; ten attempts span about half a second at worst.
 */
const CONFLICT_BACKOFF: Backoff = { baseMs: 2, capMs: 100 };

/** Folded states kept in memory (least recently used evicted beyond this many streams). */
export const STATE_CACHE_STREAMS = 20_000;

type CachedState = { decider: unknown; state: unknown; version: number };

/** Most commands decided and appended together on one stream. */
export const MAX_GROUP = 500;

/** A command waiting for its stream, with the promise it answers (types erased inside the queue). */
type Queued = {
  decider: Decider<unknown, unknown, DomainEvent>;
  command: unknown;
  context: CommandContext;
  newStream: boolean;
  resolve: (execution: Execution<unknown, DomainEvent>) => void;
  reject: (error: unknown) => void;
  /** Its place in its trace: the traceparent its events carry (metadata.traceparent), its append's parent. */
  trace: CommandTrace;
};

/**
 * Runs commands against aggregates: load the stream (from the cached state plus newer events),
 * decide, append with the expected version. Commands on one stream queue up inside this process
 * and are decided and appended as a group (a hot stream, such as a network's addresses or a
 * project's quota, takes hundreds of commands a second this way instead of conflicting); a
 * writer in another process makes the append fail, and the group is then retried on fresh
 * state a bounded number of times and reported as a 409 conflict after that.
 */
@Injectable()
export class CommandExecutor {
  /** Commands waiting per stream; the first arrival drains the queue (see runGroup). */
  private readonly queues = new Map<string, Queued[]>();
  /**
   * The last folded state of each stream this process touched: a command reads only the events
   * after it (another process's appends included), so a long stream is not folded from its start
   * every time. Safe because deciders never mutate state.
   */
  private readonly states = new Map<string, CachedState>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  /** The current time as the ISO string that commands carry. */
  now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * A stream's current state and version, read from the cache plus the events after it. With
   * `cached`, a cached state is taken as it is, without reading the store: it is exact for what
   * this process wrote, and if another process wrote since, the next append on it fails on its
   * expected version and is retried on a fresh read. With `minVersion`, a cached state is taken
   * only if it is at least that version (the caller saw an event that far in the stream).
   */
  async load<S, E extends DomainEvent>(
    decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>,
    stream: string,
    options: { cached?: boolean; minVersion?: number } = {},
  ): Promise<{ state: S; version: number }> {
    const cached = this.states.get(stream);
    const known = cached && cached.decider === decider;
    // A cached empty stream is never taken as it is: another process may have created it since.
    if (known && cached.version > 0 && (options.cached || (options.minVersion !== undefined && cached.version >= options.minVersion)))
      return { state: cached.state as S, version: cached.version };
    const base = known ? { state: cached.state as S, version: cached.version } : { state: decider.initialState(), version: 0 };
    const recorded = await this.store.readStream(stream, base.version + 1);
    const state = recorded.reduce((s, r) => decider.evolve(s, { type: r.type, data: r.data } as E), base.state);
    const version = base.version + recorded.length;
    this.remember(stream, decider, state, version);
    return { state, version };
  }

  /**
   * A stream's state for a check that must not be fooled by a stale cache: the cached state when it
   * already shows what `confirms` looks for, else read afresh (a state behind another process's
   * appends must not make something look gone).
   */
  async loadConfirmed<S, E extends DomainEvent>(
    decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>,
    stream: string,
    confirms: (state: S) => boolean,
  ): Promise<S> {
    const cached = (await this.load(decider, stream, { cached: true })).state;
    return confirms(cached) ? cached : (await this.load(decider, stream)).state;
  }

  /** The cached state of a stream, without reading the store (possibly behind other processes' appends). */
  peek<S>(decider: unknown, stream: string): S | undefined {
    const cached = this.states.get(stream);
    return cached && cached.decider === decider ? (cached.state as S) : undefined;
  }

  private remember(stream: string, decider: unknown, state: unknown, version: number): void {
    const known = this.states.get(stream);
    if (known && known.decider === decider && known.version > version) return; // a slower, older read must not win
    this.states.delete(stream);
    this.states.set(stream, { decider, state, version });
    if (this.states.size > STATE_CACHE_STREAMS) this.states.delete(this.states.keys().next().value as string);
  }

  async execute<S, C, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    stream: string,
    command: C | ((state: S) => C),
    context: CommandContext,
    options: {
      waitForReadModels?: boolean;
      /**
       * The stream is expected not to exist yet (a freshly generated or derived id): without a
       * cached state, decide on the initial one instead of reading. If it exists after all, the
       * append fails on its expected version and the command is retried on a read.
       */
      newStream?: boolean;
    } = {},
  ): Promise<Execution<S, E>> {
    return inCommandTrace(this.tracing, stream, context, (trace) => this.run(decider, stream, command, context, options, trace));
  }

  private async run<S, C, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    stream: string,
    command: C | ((state: S) => C),
    context: CommandContext,
    options: { waitForReadModels?: boolean; newStream?: boolean },
    trace: CommandTrace,
  ): Promise<Execution<S, E>> {
    const execution = await new Promise<Execution<S, E>>((resolve, reject) => {
      const item = { decider, command, context, newStream: options.newStream === true, resolve, reject, trace } as unknown as Queued;
      const queue = this.queues.get(stream);
      if (queue) return void queue.push(item);
      this.queues.set(stream, [item]);
      void this.drain(stream);
    });
    if (execution.position > 0 && options.waitForReadModels !== false) await this.progress.waitFor(execution.position);
    return execution;
  }

  /** Runs the commands queued on a stream, group after group, until none is left. */
  private async drain(stream: string): Promise<void> {
    const queue = this.queues.get(stream) as Queued[];
    while (queue.length > 0) {
      const decider = queue[0].decider;
      let n = 1;
      while (n < queue.length && n < MAX_GROUP && queue[n].decider === decider) n++;
      await this.runGroup(stream, queue.splice(0, n));
    }
    this.queues.delete(stream);
  }

  /**
   * Decides a group of commands one after another on one loaded state and appends all their
   * events at once (expected version = the loaded one). A refused command fails alone; a
   * concurrent writer elsewhere makes the group retry on fresh state.
   */
  private async runGroup(stream: string, group: Queued[]): Promise<void> {
    const decider = group[0].decider;
    for (let attempt = 1; ; attempt++) {
      let loaded: { state: unknown; version: number };
      // Optimistic: decide on the cached state first (or the initial one for a new stream). If it
      // was behind, an append fails on its version; a refusal or a no-op decided on it is checked
      // again on a fresh read (see below).
      const cached = attempt === 1 ? this.states.get(stream) : undefined;
      const fromCache = cached !== undefined && cached.decider === decider && cached.version > 0;
      const assumeNew = attempt === 1 && !fromCache && group.every((item) => item.newStream) && (cached?.version ?? 0) === 0;
      try {
        loaded = fromCache
          ? { state: cached.state, version: cached.version }
          : assumeNew
            ? { state: decider.initialState(), version: 0 }
            : await this.load(decider, stream);
      } catch (error) {
        return group.forEach((item) => item.reject(error));
      }
      let current = loaded.state;
      const events: DomainEvent[] = [];
      const envelopes: NewEvent[] = [];
      const outcomes = group.map((item) => {
        try {
          const resolved = typeof item.command === 'function' ? (item.command as (s: unknown) => unknown)(current) : item.command;
          const own = decider.decide(resolved, current);
          const from = events.length;
          current = own.reduce(decider.evolve, current);
          events.push(...own);
          envelopes.push(...own.map((e) => this.envelope(e, item.context, item.trace.traceparent)));
          return { ok: true as const, own, from, state: current };
        } catch (error) {
          return { ok: false as const, error };
        }
      });
      // Nothing to append means nothing to catch a stale state: a refusal or a no-op decided on a
      // cached or assumed state (another process may have moved the stream) is decided again on a read.
      if ((fromCache || assumeNew) && outcomes.some((o) => !o.ok || o.own.length === 0)) continue;
      if (events.length === 0) {
        return group.forEach((item, i) => {
          const o = outcomes[i];
          if (o.ok) item.resolve({ state: o.state, events: [], position: 0 });
          else item.reject(o.error);
        });
      }
      let result: AppendResult;
      try {
        const expected = loaded.version === 0 ? 'no_stream' : loaded.version;
        const parent = group.find((item) => item.trace.appendParent)?.trace.appendParent;
        const append = () => this.store.append(stream, envelopes, expected);
        result = parent
          ? await this.tracing.span('append', { kind: 'client', parent, attributes: { stream, events: envelopes.length } }, append)
          : await append();
      } catch (error) {
        if (error instanceof WrongExpectedVersion) {
          this.metrics.commandConflict();
          if (attempt < MAX_COMMAND_ATTEMPTS) {
            await sleep(backoffDelay(attempt, CONFLICT_BACKOFF, Math.random));
            continue;
          }
          const conflict = new ApplicationError('conflict', 'ConcurrentModification', `${stream} was modified concurrently; try again`);
          return group.forEach((item) => item.reject(conflict));
        }
        return group.forEach((item) => item.reject(error));
      }
      this.metrics.eventsAppended(events.map((e) => e.type));
      this.remember(stream, decider, current, result.nextVersion);
      return group.forEach((item, i) => {
        const o = outcomes[i];
        if (!o.ok) return item.reject(o.error);
        const position = o.own.length > 0 ? result.positions[o.from + o.own.length - 1] : 0;
        item.resolve({ state: o.state, events: o.own, position });
      });
    }
  }

  private envelope(event: DomainEvent, context: CommandContext, traceparent: string | undefined): NewEvent {
    return {
      id: this.ids.uuid(),
      type: event.type,
      schemaVersion: EVENT_SCHEMAS.currentVersion(event.type),
      data: event.data,
      metadata: traceparent ? { ...context, at: this.now(), traceparent } : { ...context, at: this.now() },
    };
  }
}
