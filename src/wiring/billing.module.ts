import { Module } from '@nestjs/common';
import { BILLING_SETTINGS } from '../application/billing/billing.settings';
import { BillingConsumer } from '../application/billing/billing.consumer';
import { BillingQueries } from '../application/billing/billing.queries';
import { BILLING_STORE } from '../application/billing/ports/billing-store.port';
import { PRICE_SHEET } from '../application/billing/price-sheet.settings';
import { SqlBillingStore } from '../infrastructure/billing/sql-billing-store';
import { Config } from '../infrastructure/config/config';
import { Database } from '../infrastructure/persistence/database';
import { ComputeModule } from './compute.module';
import { CONFIG, DATABASE } from './tokens';

/** Billing: the consumer of the integration events that meters usage, and the priced usage it answers. */
@Module({
  imports: [ComputeModule],
  providers: [
    { provide: BILLING_SETTINGS, inject: [CONFIG], useFactory: (c: Config) => ({ topicPrefix: c.topicPrefix, group: `${c.topicPrefix}-billing` }) },
    { provide: BILLING_STORE, inject: [DATABASE], useFactory: (db: Database) => new SqlBillingStore(db) },
    { provide: PRICE_SHEET, inject: [CONFIG], useFactory: (c: Config) => c.priceSheet },
    BillingConsumer,
    BillingQueries,
  ],
  exports: [BillingConsumer, BillingQueries],
})
export class BillingModule {}
