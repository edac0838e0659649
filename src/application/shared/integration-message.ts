import { BusMessage } from '../ports/integration-bus.port';
import { RecordedEvent } from '../ports/event-store.port';

/** The topics of the bus: one per bounded context, and one for what is the platform's (uniqueness claims). */
export type BoundedContext = 'compute' | 'network' | 'storage' | 'identity' | 'platform';
export const CONTEXTS: readonly BoundedContext[] = ['compute', 'network', 'storage', 'identity', 'platform'];

export const topicOf = (prefix: string, context: BoundedContext) => `${prefix}.${context}.events`;

/** The integration event: the recorded event with secrets redacted, as JSON. */
export type IntegrationEvent = Pick<RecordedEvent, 'id' | 'type' | 'schemaVersion' | 'stream' | 'version' | 'position' | 'data' | 'metadata'>;

export const fromBusMessage = (message: BusMessage): IntegrationEvent => JSON.parse(message.value) as IntegrationEvent;
