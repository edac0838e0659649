import 'reflect-metadata';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Config, ConfigError, loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { closeOnSignals } from './shutdown-grace';

/**
 * Runs one role of the orchestrator as a process of its own (no HTTP), from its root module: the
 * same ORCH_* settings as the orchestrator, the same store; closes in order on SIGTERM/SIGINT.
 * `role` may refuse its arguments or configuration with a ConfigError.
 */
export function runBackgroundProcess(
  role: (config: Config) => { root: (config: Config, logger: JsonLogger) => DynamicModule; fields: Record<string, unknown> },
  started: string,
): void {
  (async () => {
    const config = loadConfig();
    const { root, fields } = role(config);
    const logger = new JsonLogger(config.logLevel);
    const app = await NestFactory.createApplicationContext(root(config, logger), { logger });
    closeOnSignals(logger, config.shutdownGraceMs, () => app.close().then(() => process.exit(0)));
    await app.init();
    logger.info(started, { ...fields, store: config.store, bus: config.kafkaBrokers.length > 0 ? 'kafka' : 'in-process' });
  })().catch((error: unknown) => {
    const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `${started.split(' ')[0]} failed to start`;
    process.stdout.write(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: message, error: String(error) }) + '\n');
    process.exit(1);
  });
}
