import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent } from '../../src/application/ports/event-store.port';

export function newEvent(type = 'Something', data: unknown = {}, projectId: string | null = null): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { principal: 'test', projectId, requestId: null, correlationId: randomUUID(), causationId: null, at: new Date().toISOString() },
  };
}

export const newEvents = (n: number, type = 'Something') => Array.from({ length: n }, (_, i) => newEvent(type, { i }));

/**
 * Events appended after `head` on someone's behalf (background work, whose principal is `system…`,
 * may go on beside a test and is left out): what a test of refused requests expects to be empty.
 */
export async function requestedEventsSince(store: EventStore, head: number): Promise<string[]> {
  const events = await store.readAll(head, 10_000);
  return events.filter((e) => !e.metadata.principal.startsWith('system')).map((e) => `${e.type} by ${e.metadata.principal}`);
}
