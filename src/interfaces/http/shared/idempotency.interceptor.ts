import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { IDEMPOTENCY_STORE, IdempotencyStore } from '../../../application/ports/idempotency.port';
import { SECRETS, Secrets } from '../../../application/ports/secrets.port';
import { ApiError, ErrorBody, ReplayedErrorResponse, toErrorResponse } from './error-response';
import { HttpRequest } from './http-request';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Refusals that a retry may get past; everything else the request caused is its final answer. */
const TRANSIENT_CODES = new Set(['ConcurrentModification', 'IdempotencyKeyInProgress']);

/**
 * `Idempotency-Key` on mutating requests: the same key and body get the first response again
 * (nothing done twice); the same key with another body is a 409. Responses are stored encrypted,
 * since some carry secrets (tokens, access keys). Errors that may pass on a retry (5xx, 429, a
 * concurrency conflict) are not stored, so the key can be used again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(SECRETS) private readonly secrets: Secrets,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const key = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method) || key === undefined) return next.handle();
    // Nest applies the route's status after interceptors finish, so take it from the route itself.
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    return from(this.handle(request, context.switchToHttp().getResponse<Response>(), key, status, next));
  }

  private async handle(request: HttpRequest, response: Response, key: string | string[], successStatus: number, next: CallHandler): Promise<unknown> {
    if (typeof key !== 'string' || key.length < 1 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
      throw new ApiError(400, 'InvalidIdempotencyKey', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const route = `${request.method} ${request.originalUrl.split('?')[0]}`;
    const scope = `${request.principal?.userId ?? 'anonymous'}:${route}`;
    const hash = createHash('sha256')
      .update(route)
      .update('\n')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');

    const claim = await this.store.claim(scope, key, hash);
    switch (claim.outcome) {
      case 'mismatch':
        throw new ApiError(409, 'IdempotencyKeyReused', 'This Idempotency-Key was used with a different request');
      case 'in_progress':
        throw new ApiError(409, 'IdempotencyKeyInProgress', 'A request with this Idempotency-Key is still being processed');
      case 'replay': {
        const stored = JSON.parse(this.secrets.decrypt(claim.response.body as string)) as unknown;
        response.setHeader('Idempotent-Replayed', 'true');
        if (claim.response.status >= 400) throw new ReplayedErrorResponse(claim.response.status, stored as ErrorBody);
        return stored;
      }
      case 'claimed':
        break;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(scope, key, { status: successStatus, body: this.secrets.encrypt(JSON.stringify(body ?? null)) });
      return body;
    } catch (error) {
      const { status, body } = toErrorResponse(error, request.requestId);
      const retryable = status >= 500 || status === 429 || TRANSIENT_CODES.has(body.error.code);
      if (retryable) await this.store.abandon(scope, key);
      else await this.store.complete(scope, key, { status, body: this.secrets.encrypt(JSON.stringify(body)) });
      throw error;
    }
  }
}
