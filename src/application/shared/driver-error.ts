/**
 * A driver's failure, typed so that sagas and reconcilers can tell "try again / elsewhere" from
 * "nothing to do". `transient`: a timeout or an injected fault; `unreachable`: the host is down;
 * `not_found`: the object does not exist (for delete-like calls the drivers treat this as done).
 */
export type DriverErrorKind = 'transient' | 'unreachable' | 'not_found' | 'invalid';

export class DriverError extends Error {
  constructor(
    readonly kind: DriverErrorKind,
    readonly operation: string,
    message: string,
  ) {
    super(`${operation}: ${message}`);
    this.name = 'DriverError';
  }
}

/** A driver error that only means waiting: what it needs (a host, the storage) cannot be reached now. */
export const isUnreachable = (error: unknown): boolean => error instanceof DriverError && error.kind === 'unreachable';

/** A driver error that trying again cannot mend (a bad request, or what it names is not there). */
export const isFinal = (error: unknown): error is DriverError => error instanceof DriverError && (error.kind === 'invalid' || error.kind === 'not_found');
