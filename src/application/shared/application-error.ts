/**
 * Refusals that come from the application rather than the domain: authentication, authorisation,
 * concurrency that could not be retried away, idempotency misuse, a dependency that is down.
 */
export type ApplicationErrorKind = 'unauthenticated' | 'forbidden' | 'conflict' | 'too_large' | 'unavailable';

export class ApplicationError extends Error {
  constructor(
    readonly kind: ApplicationErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}

export const unauthenticated = () => new ApplicationError('unauthenticated', 'Unauthenticated', 'Missing, invalid or expired credentials');
export const forbidden = (message = 'Your role does not allow this action') => new ApplicationError('forbidden', 'Forbidden', message);
