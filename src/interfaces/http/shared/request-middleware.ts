import { randomUUID } from 'node:crypto';
import { NextFunction, Response } from 'express';
import { AppLogger } from '../../../application/ports/logger.port';
import { Metrics } from '../../../application/ports/metrics.port';
import { HttpRequest } from './http-request';

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (echoed when the client sent a sane one), the region that answered (`X-Region`), access log line, request metrics. */
export function requestMiddleware(logger: AppLogger, metrics: Metrics, region: string) {
  return (req: HttpRequest, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : `req-${randomUUID()}`;
    req.startedAt = process.hrtime.bigint();
    res.setHeader('X-Request-Id', req.requestId);
    res.setHeader('X-Region', region);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - req.startedAt) / 1e9;
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      metrics.httpRequest(req.method, route, res.statusCode, seconds);
      logger.info('http', {
        requestId: req.requestId,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1e4) / 10,
        principal: req.principal?.userId,
      });
    });
    next();
  };
}

/** Body-parser errors (bad JSON, too large) happen before any route; answer them in the API's format. */
export function bodyErrorMiddleware(handle: (error: unknown, req: HttpRequest, res: Response) => void) {
  return (error: unknown, req: HttpRequest, res: Response, next: NextFunction) => {
    if (!error) return next();
    handle(error, req, res);
  };
}
