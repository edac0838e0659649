import { NETWORK_UPCASTS } from './network/network/network.upcasts';
import { eventSchemas } from './shared/event-upcast';

/** Every event type's current schema, and how a stored older one reads in it (applied where the store reads events). */
export const EVENT_SCHEMAS = eventSchemas([...NETWORK_UPCASTS]);
