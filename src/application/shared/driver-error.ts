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
