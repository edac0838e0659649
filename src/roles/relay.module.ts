import { DynamicModule, Module } from '@nestjs/common';
import { EventRelay } from '../application/integration/event-relay';
import { EventStore } from '../application/ports/event-store.port';
import { IntegrationBus } from '../application/ports/integration-bus.port';
import { Tracing } from '../application/ports/tracing.port';
import { Config } from '../infrastructure/config/config';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { Database } from '../infrastructure/persistence/database';
import { IntegrationModule } from '../wiring/integration.module';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { Lifecycle } from '../wiring/lifecycle';
import { PLATFORM_PARTS_INJECT, platformParts } from '../wiring/platform-parts';
import { PlatformModule } from '../wiring/platform.module';
import { PROCESS_PARTS, ProcessPart, part } from '../wiring/process-parts';

/** `npm run relay`: the relay alone (the orchestrator runs with ORCH_RELAY=off). */
@Module({})
export class RelayModule {
  static forRoot(config: Config, logger: JsonLogger): DynamicModule {
    return {
      module: RelayModule,
      imports: [PlatformModule.forRoot(config, logger, { kind: 'relay' }), IntegrationModule],
      providers: [
        {
          provide: PROCESS_PARTS,
          inject: [...PLATFORM_PARTS_INJECT, EventRelay],
          useFactory: (
            db: Database,
            store: EventStore,
            bus: IntegrationBus,
            notifications: PgNotifications | null,
            tracing: Tracing,
            relay: EventRelay,
          ): ProcessPart[] => [...platformParts(db, store, bus, notifications, tracing), part('relay', relay)],
        },
        Lifecycle,
      ],
    };
  }
}
