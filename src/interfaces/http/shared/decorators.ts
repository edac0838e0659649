import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '../../../application/shared/command-context';
import { HttpRequest } from './http-request';

/**
 * What a route needs: `public` (no credentials), `authenticated` (any role), `read`, `write`
 * (admin or member) or `admin`. Without the decorator: `read` for GET, `write` otherwise.
 */
export type AccessLevel = 'public' | 'authenticated' | 'read' | 'write' | 'admin';
export const ACCESS_KEY = 'orch:access';
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<HttpRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});

export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<HttpRequest>().requestId);
