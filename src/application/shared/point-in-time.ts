import { Decider, DomainEvent } from '../../domain/shared/decider';
import { invalid } from '../../domain/shared/domain-error';
import { isoToMillis, millisToIso } from '../../domain/shared/iso-time';
import { EventStore, RecordedEvent } from '../ports/event-store.port';

/** A moment of the log: a global position, or a UTC time (events recorded at or before it). */
export type AsOf = { position: number } | { at: string };

/** `asOf` as the API takes it: digits are a position, anything else must be a UTC ISO time. */
export function parseAsOf(text: string): AsOf {
  if (/^\d{1,16}$/.test(text)) return { position: Number(text) };
  const ms = isoToMillis(text);
  if (ms === null)
    throw invalid('InvalidAsOf', 'asOf must be an event position or a UTC ISO time', [{ field: 'asOf', message: 'neither a position nor a time' }]);
  return { at: millisToIso(ms) };
}

const until = (asOf: AsOf) => (e: RecordedEvent) => ('position' in asOf ? e.position <= asOf.position : e.metadata.at <= asOf.at);

/** An aggregate as it was at a moment, rebuilt from its stream: its state and the events that made it (none: it did not exist yet). */
export async function stateAsOf<S, E extends DomainEvent>(
  store: EventStore,
  decider: Pick<Decider<S, never, E>, 'initialState' | 'evolve'>,
  stream: string,
  asOf: AsOf | null,
): Promise<{ state: S; events: RecordedEvent[] }> {
  const all = await store.readStream(stream);
  const events = asOf ? all.filter(until(asOf)) : all;
  return { state: events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as E), decider.initialState()), events };
}
