import { NextFunction, Response } from 'express';
import { RequestThrottle } from '../../../application/ports/request-throttle.port';
import { rateLimited } from '../../../application/shared/application-error';
import { HttpRequest } from './http-request';

/** Probes and scrapes are never limited: a load balancer's health checks or Prometheus must not be refused. */
const UNLIMITED = new Set(['/healthz', '/readyz', '/livez', '/metrics']);

/**
 * Counts every request against its client address's rate limit (the peer, or with ORCH_TRUST_PROXY
 * the address a trusted proxy forwarded), before the body is read or anyone authenticated. A
 * refusal is answered by `reply`, in the shape of the interface the path belongs to.
 */
export function addressThrottleMiddleware(throttle: RequestThrottle, reply: (error: unknown, req: HttpRequest, res: Response) => void) {
  return (req: HttpRequest, res: Response, next: NextFunction) => {
    if (UNLIMITED.has(req.path)) return next();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = throttle.take('address', address);
    if (wait === null) return next();
    // The body is not read: the connection cannot be kept for another request.
    res.setHeader('Connection', 'close');
    reply(rateLimited(wait, `Client address ${address} is over the request rate limit`), req, res);
  };
}
