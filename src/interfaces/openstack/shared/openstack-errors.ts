import { ErrorResponse, toErrorResponse } from '../../http/shared/error-response';

/** The OpenStack services this API answers as; each writes its errors its own way. */
export type OpenStackService = 'identity' | 'compute' | 'image' | 'network' | 'volume';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const NOVA_KEYS: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'HTTPMethodNotAllowed',
  406: 'HTTPNotAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'mediaTypeNotSupported',
  429: 'overLimit',
  503: 'serviceUnavailable',
};

/** The service a path belongs to (the devstack-style prefixes this API is served at). */
export function serviceOfPath(path: string): OpenStackService | null {
  const match = /^\/(identity|compute|image|network|volume)(\/|$)/.exec(path);
  return match ? (match[1] as OpenStackService) : null;
}

/**
 * The status an OpenStack service gives a refusal. Ours says 422 for a valid request the domain
 * refuses; OpenStack says 403 for an exceeded quota and 400 for the rest.
 */
export function openStackStatus(response: ErrorResponse): number {
  if (response.status !== 422) return response.status;
  return response.body.error.code === 'QuotaExceeded' ? 403 : 400;
}

/** The error body as the service writes it (Nova, Keystone, Glance, Neutron), from the API's own error. */
export function openStackErrorBody(service: OpenStackService, status: number, response: ErrorResponse): unknown {
  const { code, message, details } = response.body.error;
  const detail = details.length > 0 ? `${message}: ${details.map((d) => (d.field ? `${d.field} ${d.message}` : d.message)).join('; ')}` : message;
  const title = TITLES[status] ?? 'Error';
  switch (service) {
    case 'compute':
    case 'volume': // Cinder writes its errors as Nova does
      // Nova's rate limiting said when to come back in the body as well as in Retry-After.
      return {
        [NOVA_KEYS[status] ?? 'computeFault']: {
          code: status,
          message: detail,
          ...(status === 429 && response.headers?.['Retry-After'] ? { retryAfter: response.headers['Retry-After'] } : {}),
        },
      };
    case 'identity':
      return { error: { code: status, title, message: detail } };
    case 'image':
      return { code: `${status} ${title}`, title, message: detail };
    case 'network':
      return { NeutronError: { type: code, message: detail, detail: '' } };
  }
}

/** The error reply for a request: in the OpenStack service's shape under its prefix, else the API's own. */
export function errorReplyFor(
  error: unknown,
  path: string,
  requestId: string,
): ErrorResponse | { status: number; body: unknown; headers?: Record<string, string> } {
  const mapped = toErrorResponse(error, requestId);
  const service = serviceOfPath(path);
  if (!service) return mapped;
  const status = openStackStatus(mapped);
  const headers: Record<string, string> = { ...mapped.headers, 'X-Openstack-Request-Id': requestId };
  if (status === 401) headers['WWW-Authenticate'] = 'Keystone uri="/identity"';
  return { status, body: openStackErrorBody(service, status, mapped), headers };
}
