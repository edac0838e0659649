/** DI tokens of the composition root (the application's own ports have theirs beside the ports). */
export const CONFIG = Symbol('Config');
export const DATABASE = Symbol('Database');
export const LOGGER_INSTANCE = Symbol('JsonLogger');
/** PostgreSQL LISTEN/NOTIFY between processes (null on the embedded store). */
export const NOTIFICATIONS = Symbol('PgNotifications');
/** This process's membership of the cluster (null unless an orchestrator on PostgreSQL). */
export const MEMBERSHIP = Symbol('ClusterMembership');
/** This process's event store and, when identity is shared between regions, where it lives (see openStores). */
export const STORES = Symbol('Stores');
/** The shared identity's database and mirror (null when identity lives in this region's store). */
export const IDENTITY_HOME = Symbol('IdentityHome');
