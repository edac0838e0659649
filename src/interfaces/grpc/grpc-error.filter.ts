import { ArgumentsHost, Catch, Inject, Injectable, RpcExceptionFilter } from '@nestjs/common';
import { Metadata, status } from '@grpc/grpc-js';
import { Observable, throwError } from 'rxjs';
import { AppLogger, LOGGER } from '../../application/ports/logger.port';
import { toErrorResponse } from '../http/shared/error-response';
import { requestIdOfCall } from './grpc-call';

export type GrpcError = { code: status; details: string; metadata: Metadata };

/** HTTP status of the API's one error mapping -> gRPC status code (Google's API design guide). */
function grpcCode(httpStatus: number, errorCode: string): status {
  switch (httpStatus) {
    case 400:
    case 413:
      return status.INVALID_ARGUMENT;
    case 401:
      return status.UNAUTHENTICATED;
    case 403:
      return status.PERMISSION_DENIED;
    case 404:
      return status.NOT_FOUND;
    case 409:
      return errorCode === 'ConcurrentModification' ? status.ABORTED : status.FAILED_PRECONDITION;
    case 422:
      return errorCode === 'QuotaExceeded' ? status.RESOURCE_EXHAUSTED : status.FAILED_PRECONDITION;
    case 429:
      return status.RESOURCE_EXHAUSTED;
    case 503:
      return status.UNAVAILABLE;
    default:
      return status.INTERNAL;
  }
}

/**
 * JSON in printable ASCII (what a gRPC metadata value may hold): other characters as \u escapes,
 * which parse back to the same text. A detail such as "ssh-ed25519 AAAA…" would otherwise make
 * grpc-js refuse the metadata, and the call would never end.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The error a failed call ends with; its metadata carries the API's error code, details and the request id. */
export function toGrpcError(error: unknown, requestId: string): { grpc: GrpcError; httpStatus: number } {
  const { status: httpStatus, body, headers } = toErrorResponse(error, requestId);
  const metadata = new Metadata();
  metadata.set('error-code', body.error.code);
  metadata.set('request-id', requestId);
  if (headers?.['Retry-After']) metadata.set('retry-after', headers['Retry-After']);
  if (body.error.details.length > 0) metadata.set('error-details', asciiJson(body.error.details));
  return { grpc: { code: grpcCode(httpStatus, body.error.code), details: body.error.message, metadata }, httpStatus };
}

@Catch()
@Injectable()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  constructor(@Inject(LOGGER) private readonly logger: AppLogger) {}

  catch(error: unknown, host: ArgumentsHost): Observable<never> {
    const requestId = requestIdOfCall(host);
    const { grpc, httpStatus } = toGrpcError(error, requestId);
    if (httpStatus >= 500) this.logger.errorWith('gRPC call failed', { requestId, error: String(error), stack: (error as Error)?.stack });
    return throwError(() => grpc);
  }
}
