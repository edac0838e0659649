import { RecordedEvent } from '../ports/event-store.port';
import { BusMessage } from '../ports/integration-bus.port';
import { redact } from '../shared/redaction';

export type BoundedContext = 'compute' | 'network' | 'storage' | 'identity' | 'platform';
export const CONTEXTS: readonly BoundedContext[] = ['compute', 'network', 'storage', 'identity', 'platform'];

const BY_PREFIX: Array<[RegExp, BoundedContext]> = [
  [/^(Instance|Host|ResourcesClaimed|ClaimReleased|Flavor|Image|KeyPair|Operation|Orphan)/, 'compute'],
  [/^(Network|Ip|Port|SecurityGroup|FloatingIp)/, 'network'],
  [/^Volume/, 'storage'],
  [/^(Project|Quota|User|Role|Token|AccessKey)/, 'identity'],
];

/** The bounded context an event belongs to (its topic); uniqueness claims and the like are the platform's. */
export const contextOf = (type: string): BoundedContext => BY_PREFIX.find(([re]) => re.test(type))?.[1] ?? 'platform';

export const topicOf = (prefix: string, context: BoundedContext) => `${prefix}.${context}.events`;

/** The integration event: the recorded event with secrets redacted, as JSON. */
export type IntegrationEvent = Pick<RecordedEvent, 'id' | 'type' | 'schemaVersion' | 'stream' | 'version' | 'position' | 'data' | 'metadata'>;

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

export const fromBusMessage = (message: BusMessage): IntegrationEvent => JSON.parse(message.value) as IntegrationEvent;
