import { runBackgroundProcess } from './background-process';
import { RelayModule } from './roles/relay.module';

/** `npm run relay`: the event log relayed to the bus (KAFKA_BROKERS) from its durable checkpoint; run the orchestrator with ORCH_RELAY=off. */
runBackgroundProcess(() => ({ root: (config, logger) => RelayModule.forRoot(config, logger), fields: { kind: 'relay' } }), 'relay running');
