import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Metadata } from '@grpc/grpc-js';
import { Authenticator } from '../../application/identity/authenticator';
import { ACCESS_KEY } from '../http/shared/decorators';
import { AccessLevel, authorize } from '../shared/authorize';
import { rememberCall, requestIdOf } from './grpc-call';

/** The bearer token of the `authorization` metadata, checked as REST checks its header; `write` unless a method says otherwise. */
@Injectable()
export class GrpcAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const requestId = requestIdOf(metadata);
    // Remembered before authenticating, so that a refusal carries the request id too.
    rememberCall(context, { principal: null, requestId });
    const level = this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? 'write';
    const [authorization] = metadata.get('authorization');
    rememberCall(context, { principal: await authorize(this.authenticator, level, authorization), requestId });
    return true;
  }
}
