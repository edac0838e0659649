import 'reflect-metadata';
import { ConfigError, loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { createHttpApp } from './http-app';
import { closeOnSignals } from './shutdown-grace';
import { Readiness } from './interfaces/http/operations/readiness';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await createHttpApp(config, logger);
  // On SIGTERM/SIGINT: drain (/readyz 503 while requests are still served), then close in order
  // (in-flight requests finish, workers let their steps finish and hand their shards over, the
  // database closes). Should that hang, exit anyway after the grace period.
  closeOnSignals(logger, config.drainMs + config.shutdownGraceMs, async () => {
    app.get(Readiness).drain();
    if (config.drainMs > 0) logger.info('draining', { ms: config.drainMs });
    await new Promise((resolve) => setTimeout(resolve, config.drainMs));
    await app.close();
    process.exit(0);
  });
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
