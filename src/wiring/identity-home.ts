import { EventStore } from '../application/ports/event-store.port';
import { ALREADY_FRESH, IdentityFreshness } from '../application/identity/ports/identity-freshness.port';
import { ReadModelProgress } from '../application/ports/read-model-progress.port';
import { Config } from '../infrastructure/config/config';
import { createEventStore } from '../infrastructure/event-store/event-store.factory';
import { IdentityMirror } from '../infrastructure/event-store/identity/identity-mirror';
import { IdentityRoutingStore } from '../infrastructure/event-store/identity/identity-routing-store';
import { seedIdentity } from '../infrastructure/event-store/identity/seed-identity';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { Database } from '../infrastructure/persistence/database';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { runMigrations } from '../infrastructure/persistence/migrations';
import { SqlCheckpointStore } from '../infrastructure/persistence/sql-checkpoint-store';
import { ProcessPart, part } from './process-parts';

/** The identity store every region shares (ORCH_IDENTITY_DATABASE_URL), as this process reaches it. */
export type IdentityHome = { readonly db: Database; readonly notifications: PgNotifications; readonly mirror: IdentityMirror };

/** The event store of a process and, when identity is shared between regions, where it lives. */
export type Stores = { readonly store: EventStore; readonly home: IdentityHome | null };

const IDENTITY_POOL = 5;
/** Regions starting together against an empty identity database seed it one at a time. */
const SEED_LOCK = 7262003;

/**
 * This region's store, and for an orchestrator configured with a shared identity, the identity
 * store beside it with the mirror that copies it here (see IdentityRoutingStore). The identity
 * database gets the same schema as every store (only its log and a few tables are used).
 */
export async function openStores(config: Config, logger: JsonLogger, db: Database, commits: PgNotifications | null, orchestrator: boolean): Promise<Stores> {
  const local = createEventStore(db, { pollIntervalMs: config.pollIntervalMs, region: config.region, commits: commits ?? undefined });
  if (!config.identityDatabaseUrl || !orchestrator) return { store: local, home: null };
  const identityDb = await Database.openPostgres(config.identityDatabaseUrl, IDENTITY_POOL);
  await runMigrations(identityDb);
  const notifications = new PgNotifications(config.identityDatabaseUrl, logger);
  const identity = createEventStore(identityDb, { pollIntervalMs: config.pollIntervalMs, region: config.region, commits: notifications });
  const seeded = await identityDb.exclusively(SEED_LOCK, () => seedIdentity(local, identity));
  if (seeded > 0) logger.info('shared identity seeded with this region’s own', { events: seeded });
  const mirror = new IdentityMirror(identity, local, new SqlCheckpointStore(db), logger, { pollIntervalMs: config.pollIntervalMs, commits: notifications });
  const closeIdentity = async () => {
    await identity.close();
    await identityDb.close();
  };
  return { store: new IdentityRoutingStore(local, identity, mirror, closeIdentity), home: { db: identityDb, notifications, mirror } };
}

/** What a shared identity adds to an orchestrator's parts: its NOTIFY listener, then the mirror following it. */
export const identityParts = (home: IdentityHome | null): ProcessPart[] =>
  home ? [part('identity notifications', home.notifications), part('identity mirror', home.mirror)] : [];

/** Refreshing means copying what the identity log holds and waiting for the read models to fold it. */
export function identityFreshness(home: IdentityHome | null, store: EventStore, progress: ReadModelProgress): IdentityFreshness {
  if (!home) return ALREADY_FRESH;
  return {
    refresh: async () => {
      // Even with nothing new to copy, the background copier may have just brought it: the read models must have folded it.
      await home.mirror.catchUp();
      await progress.waitFor(await store.headPosition(), 2_000);
      return true;
    },
  };
}
