import { HttpException, HttpStatus } from '@nestjs/common';
import { ApplicationError, ApplicationErrorKind } from '../../../application/shared/application-error';
import { DomainError, DomainErrorKind, ErrorDetail } from '../../../domain/shared/domain-error';

export type ErrorBody = { error: { code: string; message: string; details: readonly ErrorDetail[]; requestId: string } };
export type ErrorResponse = { status: number; body: ErrorBody; headers?: Record<string, string> };

const DOMAIN_STATUS: Record<DomainErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, refused: 422 };
const APPLICATION_STATUS: Record<ApplicationErrorKind, number> = {
  unauthenticated: 401,
  forbidden: 403,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
  rate_limited: 429,
};

/** An error with an HTTP meaning raised by this layer (validation, idempotency, limits). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A stored error response given again for a repeated Idempotency-Key. */
export class ReplayedErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super('replayed error response');
  }
}

/** Errors express's body parser raises (they carry `type` and `status`). */
type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'MalformedJson', message: 'The request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'PayloadTooLarge', message: 'The request body is too large' },
  'encoding.unsupported': { status: 415, code: 'UnsupportedEncoding', message: 'Unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'UnsupportedCharset', message: 'Unsupported charset' },
  'request.aborted': { status: 400, code: 'RequestAborted', message: 'The request was aborted' },
  'request.size.invalid': { status: 400, code: 'InvalidRequestSize', message: 'The request size did not match Content-Length' },
};

const STATUS_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Unprocessable',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
};

/** The one mapping from any error to the API's status and error body. */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  const make = (status: number, code: string, message: string, details: readonly ErrorDetail[] = [], headers?: Record<string, string>) => ({
    status,
    body: { error: { code, message, details, requestId } },
    headers,
  });
  if (error instanceof ReplayedErrorResponse) return { status: error.status, body: error.body };
  if (error instanceof DomainError) return make(DOMAIN_STATUS[error.kind], error.code, error.message, error.details);
  if (error instanceof ApplicationError) {
    const headers: Record<string, string> | undefined =
      error.kind === 'unavailable' || error.kind === 'rate_limited'
        ? { 'Retry-After': String(error.retryAfterSeconds) }
        : error.kind === 'unauthenticated'
          ? { 'WWW-Authenticate': 'Bearer' }
          : undefined;
    return make(APPLICATION_STATUS[error.kind], error.code, error.message, [], headers);
  }
  if (error instanceof ApiError) return make(error.status, error.code, error.message, error.details, error.headers);
  const parserError = error as BodyParserError;
  if (parserError?.type && BODY_PARSER_ERRORS[parserError.type]) {
    const known = BODY_PARSER_ERRORS[parserError.type];
    return make(known.status, known.code, known.message);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const message = status === 404 ? 'No such resource or route' : error.message;
    return make(status, STATUS_CODES[status] ?? `Http${status}`, message);
  }
  if (parserError?.status && parserError.status >= 400 && parserError.status < 500 && parserError.expose) {
    return make(parserError.status, STATUS_CODES[parserError.status] ?? `Http${parserError.status}`, parserError.message);
  }
  return make(HttpStatus.INTERNAL_SERVER_ERROR, 'InternalError', 'An unexpected error occurred; it has been logged with the request id');
}
