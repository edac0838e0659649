import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './infrastructure/config/config';
import { JsonLogger } from './infrastructure/logging/json-logger';
import { ProcessRole } from './process-role';
import { closeOnSignals } from './shutdown-grace';

/**
 * Runs one part of the orchestrator as a process of its own (no HTTP): the same ORCH_* settings
 * as the orchestrator, the same store; closes in order on SIGTERM/SIGINT.
 */
export function runBackgroundProcess(role: () => ProcessRole, started: string): void {
  (async () => {
    const r = role();
    const config = loadConfig();
    const logger = new JsonLogger(config.logLevel);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, logger, r), { logger });
    closeOnSignals(logger, config.shutdownGraceMs, () => app.close().then(() => process.exit(0)));
    await app.init();
    logger.info(started, { ...r, store: config.store, bus: config.kafkaBrokers.length > 0 ? 'kafka' : 'in-process' });
  })().catch((error: unknown) => {
    const message = error instanceof ConfigError ? `configuration error: ${error.message}` : `${started.split(' ')[0]} failed to start`;
    process.stdout.write(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: message, error: String(error) }) + '\n');
    process.exit(1);
  });
}
