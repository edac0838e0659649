import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Metadata } from '@grpc/grpc-js';
import { Authenticator } from '../../application/identity/authenticator';
import { REQUEST_THROTTLE, RequestThrottle } from '../../application/ports/request-throttle.port';
import { rateLimited } from '../../application/shared/application-error';
import { ACCESS_KEY } from '../http/shared/decorators';
import { AccessLevel, authorize } from '../shared/authorize';
import { rememberCall, requestIdOf } from './grpc-call';

/** The client's address from grpc-js's peer (`ipv4:127.0.0.1:50123`, `ipv6:[::1]:50123`). */
function peerAddress(call: { getPeer?: () => string } | undefined): string {
  const peer = call?.getPeer?.() ?? 'unknown';
  const match = /^(?:ipv4:|ipv6:)?\[?([^\]]*?)\]?:\d+$/.exec(peer);
  return match ? match[1] : peer;
}

/** The bearer token of the `authorization` metadata, checked as REST checks its header; `write` unless a method says otherwise. Every call counts against its client address's rate limit first. */
@Injectable()
export class GrpcAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(REQUEST_THROTTLE) private readonly throttle: RequestThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const requestId = requestIdOf(metadata);
    // Remembered before authenticating, so that a refusal carries the request id too.
    rememberCall(context, { principal: null, requestId });
    const address = peerAddress(context.getArgByIndex<{ getPeer?: () => string } | undefined>(2));
    const wait = this.throttle.take('address', address);
    if (wait !== null) throw rateLimited(wait, `Client address ${address} is over the request rate limit`);
    const level = this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? 'write';
    const [authorization] = metadata.get('authorization');
    rememberCall(context, { principal: await authorize(this.authenticator, level, authorization), requestId });
    return true;
  }
}
