import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '../ports/event-store.port';
import { Principal, isAdmin } from '../shared/command-context';

/** Fields never shown through the API, even to an admin: hashes and ciphertexts of secrets. */
const SECRET_FIELDS = new Set(['passwordHash', 'secretHash', 'secretCiphertext']);

export const redact = (event: RecordedEvent): RecordedEvent => {
  if (typeof event.data !== 'object' || event.data === null) return event;
  const data = Object.fromEntries(Object.entries(event.data).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
  return { ...event, data };
};

export type EventLogFilter = { types?: string[]; stream?: string };

/** The audit log as the caller may see it: everything for an admin, one's project otherwise. */
@Injectable()
export class EventLogQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async list(p: Principal, after: number, limit: number, filter: EventLogFilter) {
    const events = await this.store.readAll(after, limit, { ...filter, projectId: isAdmin(p) ? undefined : p.projectId });
    return {
      items: events.map(redact),
      nextCursor: events.length === limit ? String(events[events.length - 1].position) : null,
    };
  }

  /** Follows the log live from `after`; `deliver` gets what the caller may see, in order. */
  follow(p: Principal, after: number, filter: EventLogFilter, deliver: (events: RecordedEvent[]) => Promise<void>): Subscription {
    const visible = (e: RecordedEvent) =>
      (isAdmin(p) || e.metadata.projectId === p.projectId) &&
      (!filter.types?.length || filter.types.includes(e.type)) &&
      (!filter.stream || e.stream === filter.stream);
    return this.store.subscribe(after, async (batch) => {
      const shown = batch.filter(visible).map(redact);
      if (shown.length > 0) await deliver(shown);
    });
  }
}
