import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authenticator } from '../../../application/identity/authenticator';
import { AccessLevel, authorize } from '../../shared/authorize';
import { ACCESS_KEY } from './decorators';
import { HttpRequest } from './http-request';

/** The bearer credential: `Authorization: Bearer <token>`, or OpenStack's `X-Auth-Token: <token>` (the same tokens). */
function credentialOf(request: HttpRequest): unknown {
  const openStack = request.headers['x-auth-token'];
  if (request.headers.authorization === undefined && typeof openStack === 'string') return `Bearer ${openStack}`;
  return request.headers.authorization;
}

/** Authenticates every HTTP route that is not public and checks the role against the route's access level. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // gRPC handlers have their own guard (GrpcAuthGuard).
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const level =
      this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write');
    const principal = await authorize(this.authenticator, level, credentialOf(request));
    if (principal) request.principal = principal;
    return true;
  }
}
