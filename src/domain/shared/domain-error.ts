/**
 * How a refusal should be understood by the outside world; the HTTP layer maps it to a status.
 * - invalid: the command itself is malformed (400)
 * - not_found: the target does not exist (404)
 * - conflict: the current state does not allow it (409)
 * - refused: valid, but a business rule refuses it, e.g. quota exceeded (422)
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'refused';

export type ErrorDetail = { readonly field?: string; readonly message: string };

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const refused = (code: string, message: string, details: readonly ErrorDetail[] = []) => new DomainError('refused', code, message, details);
export const invalid = (code: string, message: string, details: readonly ErrorDetail[] = []) => new DomainError('invalid', code, message, details);
