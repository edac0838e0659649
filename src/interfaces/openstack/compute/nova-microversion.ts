import { CallHandler, ExecutionContext, Injectable, NestInterceptor, createParamDecorator } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { minorVersionOf, versionAsked } from '../shared/api-version';

/** A Nova microversion, `2.N`, as its minor number N. */
export type Microversion = number;

export const MIN_MICROVERSION = 1;
/**
 * The highest we implement (what openstacksdk asks for servers): what changes up to it is honoured
 * (keypair type and 201 at 2.2, `locked` at 2.9, `description` at 2.19, `tags` at 2.26, the proxy
 * APIs gone at 2.36, networks `auto`/`none` at 2.37, the flavor embedded in a server at 2.47, tags
 * at create at 2.52, flavor `description` at 2.55, personality gone at 2.57, flavor `extra_specs`
 * at 2.61, `trusted_image_certificates` at 2.63, `changes-before` at 2.66, attachment `tag` at
 * 2.70, `server_groups` at 2.71, `locked_reason` at 2.73). What a version adds that we do not do
 * (trusted certificates, device tags, server groups) is refused when asked for, or shown empty.
 */
export const MAX_MICROVERSION = 73;
export const versionString = (v: Microversion) => `2.${v}`;

type VersionedRequest = Request & { novaMicroversion?: Microversion };

/** The version a request asks for: `OpenStack-API-Version: compute X`, else `X-OpenStack-Nova-API-Version: X`, else 2.1. */
export function requestedMicroversion(headers: Request['headers']): Microversion {
  const legacy = headers['x-openstack-nova-api-version'];
  const asked = versionAsked(headers, 'compute') ?? (typeof legacy === 'string' ? legacy.trim() : undefined);
  return asked === undefined ? MIN_MICROVERSION : minorVersionOf(asked, { service: 'compute', major: 2, min: MIN_MICROVERSION, max: MAX_MICROVERSION });
}

/** Negotiates the microversion of each Nova call and answers with the one used (both headers, and Vary). */
@Injectable()
export class NovaMicroversionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<VersionedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const version = requestedMicroversion(request.headers);
    request.novaMicroversion = version;
    response.setHeader('X-OpenStack-Nova-API-Version', versionString(version));
    response.setHeader('OpenStack-API-Version', `compute ${versionString(version)}`);
    response.setHeader('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    return next.handle();
  }
}

/** The microversion negotiated for this request (2.N as N). */
export const NovaVersion = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Microversion => ctx.switchToHttp().getRequest<VersionedRequest>().novaMicroversion ?? MIN_MICROVERSION,
);
