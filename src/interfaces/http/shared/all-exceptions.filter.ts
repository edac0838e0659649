import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Response } from 'express';
import { AppLogger } from '../../../application/ports/logger.port';
import { HttpRequest } from './http-request';
import { errorReplyFor } from '../../openstack/shared/openstack-errors';

/** Every error leaves as the API's error body (an OpenStack service's under its prefix); unexpected ones are logged with the request id. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<Response>();
    const { status, body, headers } = errorReplyFor(error, request.path, request.requestId ?? 'unknown');
    if (status >= 500) {
      this.logger.errorWith('request failed', { requestId: request.requestId, error: String(error), stack: (error as Error)?.stack });
    }
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(status).json(body);
  }
}
