import 'reflect-metadata';
import { ConfigError, loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { createHttpApp } from './http-app';
import { closeOnSignals } from './shutdown-grace';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await createHttpApp(config, logger);
  // Nest closes the app on SIGTERM/SIGINT (in-flight requests finish, then projections stop and the
  // database closes). Should that hang, exit anyway after the grace period.
  closeOnSignals(logger, config.shutdownGraceMs);
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
  logger.info('orchestrator listening', {
    url: `http://${config.httpHost}:${config.httpPort}`,
    grpc: config.grpcPort === null ? 'off' : `${config.grpcHost}:${config.grpcPort}`,
    store: config.store,
    ...(config.store === 'embedded' ? { dataDir: config.dataDir } : {}),
  });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : 'failed to start';
  process.stdout.write(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: message, error: String(error) }) + '\n');
  process.exit(1);
});
