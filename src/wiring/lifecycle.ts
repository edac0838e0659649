import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { PROCESS_PARTS, ProcessPart } from './process-parts';
import { LOGGER_INSTANCE } from './tokens';

/** Starts the process role's parts in the order its root module lists them, and stops those it started in reverse. */
@Injectable()
export class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly started: ProcessPart[] = [];

  constructor(
    @Inject(PROCESS_PARTS) private readonly parts: readonly ProcessPart[],
    @Inject(LOGGER_INSTANCE) private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const p of this.parts) {
      await p.start();
      this.started.push(p);
    }
    this.logger.info('started', { parts: this.started.map((p) => p.name) });
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info('shutting down', { signal });
    for (const p of this.started.splice(0).reverse()) await p.stop();
  }
}
