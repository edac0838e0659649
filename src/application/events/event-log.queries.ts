import { Inject, Injectable } from '@nestjs/common';
import { redact } from '../shared/redaction';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription, matchesFilter } from '../ports/event-store.port';
import { Principal, isAdmin } from '../shared/command-context';
import { isoToMillis, millisToIso } from '../../domain/shared/iso-time';

export type EventLogFilter = { types?: string[]; stream?: string; projectId?: string; principal?: string; from?: string; to?: string };

/** The audit log as the caller may see it: everything for an admin, one's project otherwise. */
@Injectable()
export class EventLogQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async list(p: Principal, after: number, limit: number, filter: EventLogFilter) {
    const events = await this.store.readAll(after, limit, this.scoped(p, filter));
    return {
      items: events.map(redact),
      nextCursor: events.length === limit ? String(events[events.length - 1].position) : null,
    };
  }

  /** The position of the last event appended: where a client starts following what happens next. */
  async head(): Promise<{ position: number }> {
    return { position: await this.store.headPosition() };
  }

  /** The filter as the caller may apply it: an admin filters by any project, anyone else sees their own. */
  private scoped(p: Principal, filter: EventLogFilter): EventLogFilter {
    // Times as the events carry them (with milliseconds), so that comparing the text is comparing the times.
    const canonical = (t?: string) => (t === undefined ? undefined : millisToIso(isoToMillis(t) ?? 0));
    return { ...filter, projectId: isAdmin(p) ? filter.projectId : p.projectId, from: canonical(filter.from), to: canonical(filter.to) };
  }

  /** Follows the log live from `after`; `deliver` gets what the caller may see, in order. */
  follow(p: Principal, after: number, filter: EventLogFilter, deliver: (events: RecordedEvent[]) => Promise<void>): Subscription {
    const scoped = this.scoped(p, filter);
    const visible = (e: RecordedEvent) => matchesFilter(e, scoped);
    return this.store.subscribe(after, async (batch) => {
      const shown = batch.filter(visible).map(redact);
      if (shown.length > 0) await deliver(shown);
    });
  }
}
