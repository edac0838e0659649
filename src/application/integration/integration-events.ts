import { COMPUTE_EVENT_TYPES } from '../compute/public';
import { IDENTITY_EVENT_TYPES } from '../identity/public';
import { NETWORK_EVENT_TYPES } from '../network/public';
import { RecordedEvent } from '../ports/event-store.port';
import { BusMessage } from '../ports/integration-bus.port';
import { BoundedContext, IntegrationEvent, topicOf } from '../shared/integration-message';
import { redact } from '../shared/redaction';
import { STORAGE_EVENT_TYPES } from '../storage/public';

/** Each event type's context, from the contexts' own lists of their events. */
const CONTEXT_OF = new Map<string, BoundedContext>([
  ...COMPUTE_EVENT_TYPES.map((t): [string, BoundedContext] => [t, 'compute']),
  ...NETWORK_EVENT_TYPES.map((t): [string, BoundedContext] => [t, 'network']),
  ...STORAGE_EVENT_TYPES.map((t): [string, BoundedContext] => [t, 'storage']),
  ...IDENTITY_EVENT_TYPES.map((t): [string, BoundedContext] => [t, 'identity']),
]);

/** The bounded context an event belongs to (its topic); what no context lists (uniqueness claims) is the platform's. */
export const contextOf = (type: string): BoundedContext => CONTEXT_OF.get(type) ?? 'platform';

/**
 * An event as a bus message: topic per bounded context, key = the aggregate's stream (so one
 * aggregate's events keep their order), headers with the event id, type and schema version.
 */
export function toBusMessage(prefix: string, event: RecordedEvent): BusMessage {
  const shown = redact(event);
  const value: IntegrationEvent = {
    id: shown.id,
    type: shown.type,
    schemaVersion: shown.schemaVersion,
    stream: shown.stream,
    version: shown.version,
    position: shown.position,
    data: shown.data,
    metadata: shown.metadata,
  };
  return {
    topic: topicOf(prefix, contextOf(event.type)),
    key: event.stream,
    value: JSON.stringify(value),
    headers: { 'event-id': event.id, 'event-type': event.type, 'schema-version': String(event.schemaVersion), position: String(event.position) },
  };
}
