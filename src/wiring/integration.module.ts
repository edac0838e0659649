import { Module } from '@nestjs/common';
import { EventRelay } from '../application/integration/event-relay';
import { RELAY_SETTINGS } from '../application/integration/relay.settings';
import { Config } from '../infrastructure/config/config';
import { CONFIG } from './tokens';

/** The relay: the event log published to the integration bus (Kafka, or in-process) from its durable checkpoint. */
@Module({
  providers: [
    {
      provide: RELAY_SETTINGS,
      inject: [CONFIG],
      useFactory: (c: Config) => ({ topicPrefix: c.topicPrefix, name: `relay-${c.topicPrefix}`, batchSize: c.relayBatchSize, region: c.region }),
    },
    EventRelay,
  ],
  exports: [EventRelay],
})
export class IntegrationModule {}
