import { ConfigError, loadConfig } from './infrastructure/config/config';
import { runBackgroundProcess } from './background-process';

/** `npm run billing`: the billing consumer alone, on Kafka (KAFKA_BROKERS); the orchestrator serves GET /v1/billing/usage. */
runBackgroundProcess(() => {
  if (loadConfig().kafkaBrokers.length === 0)
    throw new ConfigError('npm run billing consumes Kafka: set KAFKA_BROKERS (without it, billing runs inside the orchestrator)');
  return { kind: 'billing' };
}, 'billing consumer running');
