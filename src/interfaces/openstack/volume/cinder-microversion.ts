import { CallHandler, ExecutionContext, Injectable, NestInterceptor, createParamDecorator } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { minorVersionOf, versionAsked } from '../shared/api-version';

/** A Cinder microversion, `3.N`, as its minor number N. */
export type VolumeMicroversion = number;

/**
 * The highest we implement (what openstacksdk asks for): what changes up to it is honoured for what
 * we show (`group_id` at 3.13, `shared_targets` and `service_uuid` at 3.48; `name~` filters at
 * 3.34; `created_at`/`updated_at` comparisons at 3.60).
 */
export const MAX_VOLUME_MICROVERSION = 60;

type VersionedRequest = Request & { cinderMicroversion?: VolumeMicroversion };

/** `OpenStack-API-Version: volume 3.N` (else 3.0); `latest` is the highest; 406 outside 3.0 to the highest. */
export function requestedVolumeMicroversion(headers: Request['headers']): VolumeMicroversion {
  const asked = versionAsked(headers, 'volume');
  return asked === undefined ? 0 : minorVersionOf(asked, { service: 'volume', major: 3, min: 0, max: MAX_VOLUME_MICROVERSION });
}

/** Negotiates the microversion of each Cinder call and answers with the one used. */
@Injectable()
export class CinderMicroversionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<VersionedRequest>();
    const version = requestedVolumeMicroversion(request.headers);
    request.cinderMicroversion = version;
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('OpenStack-API-Version', `volume 3.${version}`);
    response.setHeader('Vary', 'OpenStack-API-Version');
    return next.handle();
  }
}

export const CinderVersion = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): VolumeMicroversion => ctx.switchToHttp().getRequest<VersionedRequest>().cinderMicroversion ?? 0,
);
