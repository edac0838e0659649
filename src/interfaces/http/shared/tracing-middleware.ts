import { NextFunction, Response } from 'express';
import { Tracing } from '../../../application/ports/tracing.port';
import { HttpRequest } from './http-request';

/** Ids in paths (`inst-…`, `op-…`, UUIDs) named `:id`, so that a span name says the route. */
const ID_SEGMENT = /\/(?:[a-z]+-[0-9a-f-]{8,}|[0-9a-f]{8}-[0-9a-f-]{27})(?=\/|$)/g;

/**
 * Each HTTP request as a server span (`POST /v1/instances`), continuing the caller's trace when it
 * sends a W3C `traceparent`; the request's id is bound to it while the request is answered, so
 * that the commands it makes are its children. Only mounted with tracing on.
 */
export function tracingMiddleware(tracing: Tracing) {
  return (req: HttpRequest, res: Response, next: NextFunction) => {
    const incoming = req.headers.traceparent;
    void tracing.span(
      `${req.method} ${req.path.replace(ID_SEGMENT, '/:id')}`,
      { kind: 'server', parent: typeof incoming === 'string' ? incoming : undefined, attributes: { 'http.method': req.method, 'http.target': req.path } },
      (span) =>
        tracing.within(
          req.requestId,
          span,
          () =>
            new Promise<void>((resolve) => {
              res.once('close', () => {
                span.set({ 'http.status_code': res.statusCode, 'request.id': req.requestId });
                resolve();
              });
              next();
            }),
        ),
    );
  };
}
