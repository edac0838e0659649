import { JsonLogger } from './infrastructure/logging/json-logger';

/**
 * On SIGTERM/SIGINT a process closes in order (`close`); should that hang, it exits anyway after
 * the grace period. Used by the orchestrator and the standalone agent alike.
 */
export function closeOnSignals(logger: JsonLogger, graceMs: number, close: () => Promise<void> = async () => undefined): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.errorWith('graceful shutdown timed out; exiting', { signal, graceMs });
        process.exit(1);
      }, graceMs).unref();
      void close();
    });
  }
}
