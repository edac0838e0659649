/** DI tokens of the composition root (the application's own ports have theirs beside the ports). */
export const CONFIG = Symbol('Config');
export const DATABASE = Symbol('Database');
export const LOGGER_INSTANCE = Symbol('JsonLogger');
/** PostgreSQL LISTEN/NOTIFY between processes (null on the embedded store). */
export const NOTIFICATIONS = Symbol('PgNotifications');
/** This process's membership of the cluster (null unless an orchestrator on PostgreSQL). */
export const MEMBERSHIP = Symbol('ClusterMembership');
