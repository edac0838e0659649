import { EVENT_STORE, EventStore } from '../application/ports/event-store.port';
import { INTEGRATION_BUS, IntegrationBus } from '../application/ports/integration-bus.port';
import { TRACING, Tracing } from '../application/ports/tracing.port';
import { Database } from '../infrastructure/persistence/database';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { ProcessPart, closing, part } from './process-parts';
import { DATABASE, NOTIFICATIONS } from './tokens';

/** The tokens platformParts needs, in its parameters' order. */
export const PLATFORM_PARTS_INJECT = [DATABASE, EVENT_STORE, INTEGRATION_BUS, NOTIFICATIONS, TRACING];

/** What every process closes last: the listener, the bus, the event store, the database, the traces' last export (first in the list, so stopped last). */
export function platformParts(
  db: Database,
  store: EventStore,
  bus: IntegrationBus,
  notifications: PgNotifications | null,
  tracing: Tracing & { shutdown?: () => Promise<void> },
): ProcessPart[] {
  return [
    closing('tracing', async () => tracing.shutdown?.()),
    closing('database', () => db.close()),
    closing('event store', () => store.close()),
    closing('integration bus', () => bus.close()),
    ...(notifications ? [part('notifications', notifications)] : []),
  ];
}
