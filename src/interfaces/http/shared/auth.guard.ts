import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authenticator } from '../../../application/identity/authenticator';
import { forbidden, unauthenticated } from '../../../application/shared/application-error';
import { canWrite } from '../../../domain/identity/roles';
import { ACCESS_KEY, AccessLevel } from './decorators';
import { HttpRequest } from './http-request';

/**
 * Authenticates every route that is not public and checks the role against the route's access
 * level. Use cases check again (defence in depth); project scoping is theirs alone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const level =
      this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write');
    if (level === 'public') return true;

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw unauthenticated();
    const principal = await this.authenticator.authenticate(match[1]);
    request.principal = principal;

    if (level === 'admin' && principal.role !== 'admin') throw forbidden('Only an admin may do this');
    if (level === 'write' && !canWrite(principal.role)) throw forbidden('The reader role cannot change anything');
    return true;
  }
}
