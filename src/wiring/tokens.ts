/** DI tokens of the composition root (the application's own ports have theirs beside the ports). */
export const CONFIG = Symbol('Config');
export const DATABASE = Symbol('Database');
export const LOGGER_INSTANCE = Symbol('JsonLogger');
