import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Metadata } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../application/shared/command-context';

/** What the guard learnt about a call, kept beside the call object grpc-js hands to the handler. */
type CallFacts = { principal: Principal | null; requestId: string };
const facts = new WeakMap<object, CallFacts>();

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The call's request id: the client's `x-request-id` metadata when it is well formed, else a new one. */
export function requestIdOf(metadata: Metadata): string {
  const [incoming] = metadata.get('x-request-id');
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : `req-${randomUUID()}`;
}

/** grpc-js passes (request, metadata, call); the call object lives exactly as long as the call. */
const callOf = (context: ExecutionContext): object => context.getArgByIndex<object>(2);

export const rememberCall = (context: ExecutionContext, known: CallFacts): void => {
  facts.set(callOf(context), known);
};

const recalled = (context: ExecutionContext): CallFacts => {
  const known = facts.get(callOf(context));
  if (!known) throw new Error('a gRPC handler ran without GrpcAuthGuard');
  return known;
};

export const GrpcPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const { principal } = recalled(context);
  if (!principal) throw new Error('GrpcPrincipal used on a public gRPC method');
  return principal;
});

export const GrpcRequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => recalled(context).requestId);

/** The request id of a call whatever stage it failed at (the guard may not have run). */
export function requestIdOfCall(context: ExecutionContext | { getArgByIndex<T>(index: number): T }): string {
  const call = context.getArgByIndex<object | undefined>(2);
  return (call && facts.get(call)?.requestId) ?? requestIdOf(context.getArgByIndex<Metadata>(1));
}
