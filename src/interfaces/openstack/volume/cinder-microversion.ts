import { CallHandler, ExecutionContext, Injectable, NestInterceptor, createParamDecorator } from '@nestjs/common';
import { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { ApiError } from '../../http/shared/error-response';

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
  const header = headers['openstack-api-version'];
  const asked =
    typeof header === 'string'
      ? header
          .split(',')
          .map((part) => part.trim().split(/\s+/))
          .find(([service]) => service.toLowerCase() === 'volume')?.[1]
      : undefined;
  if (asked === undefined) return 0;
  if (asked.toLowerCase() === 'latest') return MAX_VOLUME_MICROVERSION;
  const match = /^3\.(\d{1,4})$/.exec(asked);
  if (!match) throw new ApiError(400, 'BadRequest', `Invalid volume API version "${asked}"`);
  const minor = Number(match[1]);
  if (minor > MAX_VOLUME_MICROVERSION)
    throw new ApiError(406, 'NotAcceptable', `Version ${asked} is not supported by the API. Minimum is 3.0 and maximum is 3.${MAX_VOLUME_MICROVERSION}.`);
  return minor;
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
