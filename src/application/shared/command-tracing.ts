import { Tracing } from '../ports/tracing.port';
import { CommandContext } from './command-context';

/** Where a command stands in its trace: the traceparent its events carry, and the parent of its append's span (none: no span). */
export type CommandTrace = { traceparent: string | undefined; appendParent: string | undefined };

const UNTRACED: CommandTrace = { traceparent: undefined, appendParent: undefined };

/**
 * Runs a command in its trace. Made for a request (or for work no span is bound to), it is a span
 * of its own (`command instance`), a child of the request's, with its append as a child span.
 * Made within background work bound to a span (an instance's provisioning step), it is a timed
 * event of that span, and its events carry the step's traceparent: a step records a dozen small
 * commands, and a span each (with its append) cost more than the trace gained from them.
 * Past a request's first 50 commands (by default: a launch's quota, its operation and its first 48
 * instances), a command and all it causes are in the request's trace but not recorded (see
 * Tracing.fanOutFrom).
 */
export function inCommandTrace<T extends { events: readonly unknown[] }>(
  tracing: Tracing,
  stream: string,
  context: CommandContext,
  run: (trace: CommandTrace) => Promise<T>,
): Promise<T> {
  if (!tracing.enabled) return run(UNTRACED);
  const request = tracing.spanOf(context.requestId);
  const work = request ? undefined : tracing.spanOf(context.causationId);
  if (work) {
    return run({ traceparent: work.traceparent, appendParent: undefined }).then(
      (execution) => {
        work.event(`command ${stream}: ${execution.events.length} events appended`);
        return execution;
      },
      (error: unknown) => {
        work.event(`command ${stream} refused: ${codeOf(error)}`);
        throw error;
      },
    );
  }
  return tracing.span(`command ${stream.split('-')[0]}`, { parent: request && tracing.fanOutFrom(request), attributes: { stream } }, (span) =>
    run({ traceparent: span.traceparent, appendParent: span.traceparent }),
  );
}

const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : String(error);
