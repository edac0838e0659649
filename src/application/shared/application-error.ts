/**
 * Refusals that come from the application rather than the domain: authentication, authorisation,
 * concurrency that could not be retried away, idempotency misuse, a dependency that is down, a
 * client over its rate limit.
 */
export type ApplicationErrorKind = 'unauthenticated' | 'forbidden' | 'conflict' | 'too_large' | 'unavailable' | 'rate_limited';

export class ApplicationError extends Error {
  constructor(
    readonly kind: ApplicationErrorKind,
    readonly code: string,
    message: string,
    /** For `unavailable` and `rate_limited`: when to try again (the Retry-After of HTTP). */
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}

export const unauthenticated = () => new ApplicationError('unauthenticated', 'Unauthenticated', 'Missing, invalid or expired credentials');
export const forbidden = (message = 'Your role does not allow this action') => new ApplicationError('forbidden', 'Forbidden', message);

/** Over a rate limit: the request did nothing; the caller may try again after `seconds`. */
export const rateLimited = (seconds: number, message = 'Too many requests; slow down') =>
  new ApplicationError('rate_limited', 'RateLimited', `${message} (retry after ${seconds} s)`, seconds);
