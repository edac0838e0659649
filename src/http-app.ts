import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, raw } from 'express';
import { OrchestratorModule } from './roles/orchestrator.module';
import { METRICS, Metrics } from './application/ports/metrics.port';
import { Config } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { errorReplyFor } from './interfaces/openstack/shared/openstack-errors';
import { HttpRequest } from './interfaces/http/shared/http-request';
import { bodyErrorMiddleware, requestMiddleware } from './interfaces/http/shared/request-middleware';
import { validationPipe } from './interfaces/http/shared/validation';
import { grpcOptions } from './interfaces/grpc/grpc-options';

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
  app.use(requestMiddleware(logger, metrics, config.region));
  // The EC2 Query API signs its body as sent: keep the bytes (its controller reads the form itself).
  app.use('/ec2', raw({ limit: config.bodyLimitBytes, type: () => true }));
  app.use(
    json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json', 'application/openstack-images-v2.1-json-patch'] }),
  );
  app.use(
    bodyErrorMiddleware((error, req: HttpRequest, res) => {
      const { status, body, headers } = errorReplyFor(error, req.path, req.requestId);
      res
        .status(status)
        .set(headers ?? {})
        .json(body);
    }),
  );
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
