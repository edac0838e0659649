import { Inject, Injectable } from '@nestjs/common';
import { Decider, DomainEvent, fold } from '../../domain/shared/decider';
import { CLOCK, Clock } from '../ports/clock.port';
import { EVENT_STORE, EventStore, NewEvent, WrongExpectedVersion } from '../ports/event-store.port';
import { ID_GENERATOR, IdGenerator } from '../ports/id-generator.port';
import { METRICS, Metrics } from '../ports/metrics.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../ports/read-model-progress.port';
import { ApplicationError } from '../shared/application-error';
import { CommandContext } from '../shared/command-context';
import { KeyedMutex } from '../shared/mutex';

export type Execution<S, E> = {
  readonly state: S;
  readonly events: readonly E[];
  /** Position of the last appended event; 0 when the command changed nothing. */
  readonly position: number;
};

export const MAX_COMMAND_ATTEMPTS = 5;

/**
 * Runs a command against one aggregate: load its stream, fold, decide, append with the expected
 * version. Commands on one stream queue up inside this process (a hot stream, such as a project's
 * quota, would otherwise see most of its concurrent commands conflict); a writer in another process
 * makes the append fail, and the command is then retried on fresh state a bounded number of times
 * and reported as a 409 conflict after that.
 */
@Injectable()
export class CommandExecutor {
  private readonly streamLocks = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
  ) {}

  /** The current time as the ISO string that commands carry. */
  now(): string {
    return this.clock.now().toISOString();
  }

  async load<S, E extends DomainEvent>(decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>, stream: string) {
    const recorded = await this.store.readStream(stream);
    return { state: fold(decider, recorded as unknown as E[]), version: recorded.length };
  }

  async execute<S, C, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    stream: string,
    command: C | ((state: S) => C),
    context: CommandContext,
    options: { waitForReadModels?: boolean } = {},
  ): Promise<Execution<S, E>> {
    const execution = await this.streamLocks.run(stream, () => this.decideAndAppend(decider, stream, command, context));
    if (execution.position > 0 && options.waitForReadModels !== false) await this.progress.waitFor(execution.position);
    return execution;
  }

  private async decideAndAppend<S, C, E extends DomainEvent>(
    decider: Decider<S, C, E>,
    stream: string,
    command: C | ((state: S) => C),
    context: CommandContext,
  ): Promise<Execution<S, E>> {
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.store.readStream(stream);
      const state = fold(
        decider,
        recorded.map((r) => ({ type: r.type, data: r.data }) as E),
      );
      const resolved = typeof command === 'function' ? (command as (s: S) => C)(state) : command;
      const events = decider.decide(resolved, state);
      if (events.length === 0) return { state, events, position: 0 };
      try {
        const result = await this.store.append(
          stream,
          events.map((e) => this.envelope(e, context)),
          recorded.length === 0 ? 'no_stream' : recorded.length,
        );
        this.metrics.eventsAppended(events.length);
        const position = result.positions[result.positions.length - 1];
        return { state: events.reduce(decider.evolve, state), events, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        this.metrics.commandConflict();
        if (attempt >= MAX_COMMAND_ATTEMPTS) {
          throw new ApplicationError('conflict', 'ConcurrentModification', `${stream} was modified concurrently; try again`);
        }
      }
    }
  }

  private envelope(event: DomainEvent, context: CommandContext): NewEvent {
    return {
      id: this.ids.uuid(),
      type: event.type,
      schemaVersion: 1,
      data: event.data,
      metadata: { ...context, at: this.now() },
    };
  }
}
