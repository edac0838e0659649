import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw, Response } from 'express';
import { OrchestratorModule } from './roles/orchestrator.module';
import { METRICS, Metrics } from './application/ports/metrics.port';
import { Config } from './infrastructure/config/config';
import { TRACING, Tracing } from './application/ports/tracing.port';
import { tracingMiddleware } from './interfaces/http/shared/tracing-middleware';
import { consoleStatic } from './interfaces/http/shared/console-static';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { errorReplyFor } from './interfaces/openstack/shared/openstack-errors';
import { HttpRequest } from './interfaces/http/shared/http-request';
import { bodyErrorMiddleware, requestMiddleware } from './interfaces/http/shared/request-middleware';
import { validationPipe } from './interfaces/http/shared/validation';
import { grpcOptions } from './interfaces/grpc/grpc-options';
import { REQUEST_THROTTLE, RequestThrottle } from './application/ports/request-throttle.port';
import { addressThrottleMiddleware } from './interfaces/http/shared/address-throttle.middleware';
import { ec2ErrorOf } from './interfaces/ec2/ec2-error';
import { ec2ErrorDocument } from './interfaces/ec2/ec2-xml';

/** An error met before any route (a bad body, a rate limit), answered in the shape of the interface the path belongs to. */
function replyBeforeRoute(error: unknown, req: HttpRequest, res: Response): void {
  if (req.path === '/ec2' || req.path.startsWith('/ec2/')) {
    const reply = ec2ErrorOf(error, req.requestId);
    res
      .status(reply.status)
      .set(reply.headers ?? {})
      .type('text/xml')
      .send(ec2ErrorDocument(reply.code, reply.message, req.requestId));
    return;
  }
  const { status, body, headers } = errorReplyFor(error, req.path, req.requestId);
  res
    .status(status)
    .set(headers ?? {})
    .json(body);
}

/**
 * Builds the application for a configuration (used by main and by the end-to-end tests): the REST API,
 * and the gRPC API beside it unless ORCH_GRPC_PORT is off (started by app.startAllMicroservices()).
 */
export async function createHttpApp(config: Config, logger: JsonLogger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(OrchestratorModule.forRoot(config, logger), {
    logger,
    bodyParser: false,
    bufferLogs: false,
  });
  const metrics = app.get<Metrics>(METRICS);
  app.disable('x-powered-by');
  if (config.trustProxy !== null) app.set('trust proxy', trustProxyValue(config.trustProxy));
  app.use(requestMiddleware(logger, metrics, config.region));
  const tracing = app.get<Tracing>(TRACING);
  if (tracing.enabled) app.use(tracingMiddleware(tracing));
  app.use(addressThrottleMiddleware(app.get<RequestThrottle>(REQUEST_THROTTLE), replyBeforeRoute));
  // The EC2 Query API signs its body as sent: keep the bytes (its controller reads the form itself).
  app.use('/ec2', raw({ limit: config.bodyLimitBytes, type: () => true }));
  app.use(
    json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json', 'application/openstack-images-v2.1-json-patch'] }),
  );
  app.use(bodyErrorMiddleware(replyBeforeRoute));
  app.use('/console', consoleStatic());
  app.useGlobalPipes(validationPipe);
  // Not inheriting the HTTP app's global pipes and enhancers: gRPC methods validate, authenticate and map errors themselves.
  if (config.grpcPort !== null) app.connectMicroservice(grpcOptions(config.grpcHost, config.grpcPort), { inheritAppConfig: false });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Orchestrator API')
      .setDescription('Event-sourced IaaS control plane. Errors: { error: { code, message, details, requestId } }.')
      .setVersion('v1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'v1/openapi.json', yamlDocumentUrl: 'v1/openapi.yaml' });
  return app;
}

/** ORCH_TRUST_PROXY as express reads it: `true`, a number of hops, or addresses and CIDRs (`loopback`, `10.0.0.0/8, …`). */
function trustProxyValue(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}
