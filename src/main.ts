import 'reflect-metadata';
import { ConfigError, loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { createHttpApp } from './http-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const app = await createHttpApp(config, logger);
  // Nest closes the app on SIGTERM/SIGINT (in-flight requests finish, then projections stop and the
  // database closes). Should that hang, exit anyway after the grace period.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.errorWith('graceful shutdown timed out; exiting', { signal, graceMs: config.shutdownGraceMs });
        process.exit(1);
      }, config.shutdownGraceMs).unref();
    });
  }
  await app.listen(config.httpPort, config.httpHost);
  logger.info('orchestrator listening', {
    url: `http://${config.httpHost}:${config.httpPort}`,
    store: config.store,
    ...(config.store === 'embedded' ? { dataDir: config.dataDir } : {}),
  });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration error: ${error.message}` : 'failed to start';
  process.stdout.write(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: message, error: String(error) }) + '\n');
  process.exit(1);
});
