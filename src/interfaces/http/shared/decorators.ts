import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '../../../application/shared/command-context';
import { AccessLevel } from '../../shared/authorize';
import { HttpRequest } from './http-request';

/** What a route needs (see AccessLevel). Without the decorator: `read` for GET, `write` otherwise (HTTP), `write` (gRPC). */
export const ACCESS_KEY = 'orch:access';
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<HttpRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});

export const RequestId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<HttpRequest>().requestId);
