import { runBackgroundProcess } from './background-process';

/** `npm run relay`: the event log relayed to the bus (KAFKA_BROKERS) from its durable checkpoint; run the orchestrator with ORCH_RELAY=off. */
runBackgroundProcess(() => ({ kind: 'relay' }), 'relay running');
