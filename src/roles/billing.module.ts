import { DynamicModule, Module } from '@nestjs/common';
import { BillingConsumer } from '../application/billing/billing.consumer';
import { EventStore } from '../application/ports/event-store.port';
import { IntegrationBus } from '../application/ports/integration-bus.port';
import { Tracing } from '../application/ports/tracing.port';
import { Config } from '../infrastructure/config/config';
import { JsonLogger } from '../infrastructure/logging/json-logger';
import { Database } from '../infrastructure/persistence/database';
import { BillingModule } from '../wiring/billing.module';
import { DriversModule } from '../wiring/drivers.module';
import { PgNotifications } from '../infrastructure/persistence/pg-notifications';
import { Lifecycle } from '../wiring/lifecycle';
import { PLATFORM_PARTS_INJECT, platformParts } from '../wiring/platform-parts';
import { PlatformModule } from '../wiring/platform.module';
import { PROCESS_PARTS, ProcessPart, part } from '../wiring/process-parts';

/** `npm run billing`: the billing consumer alone, on Kafka (the orchestrator runs with ORCH_BILLING=off and serves the usage). */
@Module({})
export class BillingRoleModule {
  static forRoot(config: Config, logger: JsonLogger): DynamicModule {
    return {
      module: BillingRoleModule,
      // Billing reads flavor names from Compute, whose host scope needs the drivers (it drives no host here).
      imports: [PlatformModule.forRoot(config, logger, { kind: 'billing' }), DriversModule.forRoot(config), BillingModule],
      providers: [
        {
          provide: PROCESS_PARTS,
          inject: [...PLATFORM_PARTS_INJECT, BillingConsumer],
          useFactory: (
            db: Database,
            store: EventStore,
            bus: IntegrationBus,
            notifications: PgNotifications | null,
            tracing: Tracing,
            billing: BillingConsumer,
          ): ProcessPart[] => [...platformParts(db, store, bus, notifications, tracing), part('billing consumer', billing)],
        },
        Lifecycle,
      ],
    };
  }
}
