/** Structured logging: a message and machine-readable fields (always include the request id when there is one). */
export interface AppLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warnWith(msg: string, fields?: Record<string, unknown>): void;
  errorWith(msg: string, fields?: Record<string, unknown>): void;
}
export const LOGGER = Symbol('AppLogger');
