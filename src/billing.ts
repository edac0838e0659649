import { ConfigError } from './infrastructure/config/config';
import { runBackgroundProcess } from './background-process';
import { BillingRoleModule } from './roles/billing.module';

/** `npm run billing`: the billing consumer alone, on Kafka (KAFKA_BROKERS); the orchestrator serves GET /v1/billing/usage. */
runBackgroundProcess((config) => {
  if (config.kafkaBrokers.length === 0)
    throw new ConfigError('npm run billing consumes Kafka: set KAFKA_BROKERS (without it, billing runs inside the orchestrator)');
  return { root: (c, logger) => BillingRoleModule.forRoot(c, logger), fields: { kind: 'billing' } };
}, 'billing consumer running');
