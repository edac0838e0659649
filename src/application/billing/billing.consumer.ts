import { Inject, Injectable } from '@nestjs/common';
import { TRACING, Tracing } from '../ports/tracing.port';
import { METERED_TYPES, MeterState, UsageRecord, meterEvent, meteredResource } from '../../domain/billing/meter';
import { fromBusMessage, topicOf } from '../shared/integration-message';
import { BusMessage, BusSubscription, INTEGRATION_BUS, IntegrationBus } from '../ports/integration-bus.port';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { BILLING_SETTINGS, BillingSettings } from './billing.settings';
import { BILLING_STORE, BillingStore, MeteredIntegrationEvent } from './ports/billing-store.port';

/** Folds events through the meter, in order: the clocks after them and the usage they closed. */
export function meterAll(clocks: MeterState, events: readonly { type: string; data: unknown }[]): { clocks: MeterState; usage: UsageRecord[] } {
  let state = clocks;
  const usage: UsageRecord[] = [];
  for (const e of events) {
    const step = meterEvent(state, e);
    state = step.state;
    usage.push(...step.usage);
  }
  return { clocks: state, usage };
}

/**
 * The billing consumer: takes the compute, storage and network topics from the bus and meters
 * each event exactly once (the store remembers what it metered, in the same transaction as the
 * usage), whatever the bus redelivers after a crash or a rebalance.
 */
@Injectable()
export class BillingConsumer {
  private subscription: BusSubscription | null = null;
  private metered = 0;

  constructor(
    @Inject(INTEGRATION_BUS) private readonly bus: IntegrationBus,
    @Inject(BILLING_STORE) private readonly store: BillingStore,
    @Inject(BILLING_SETTINGS) private readonly settings: BillingSettings,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  get count(): number {
    return this.metered;
  }

  async start(): Promise<void> {
    const topics = (['compute', 'storage', 'network'] as const).map((c) => topicOf(this.settings.topicPrefix, c));
    this.subscription = await this.bus.subscribe(this.settings.group, topics, (messages) => this.handle(messages));
    this.log.info('billing: consuming', { topics, group: this.settings.group });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  async handle(messages: readonly BusMessage[]): Promise<void> {
    const metered = messages.filter((m) => METERED_TYPES.has(m.headers['event-type'] ?? ''));
    const events: MeteredIntegrationEvent[] = metered.map(fromBusMessage).map((e) => ({ id: e.id, type: e.type, data: e.data }));
    const resources = events.map((e) => meteredResource(e)).filter((r): r is string => r !== undefined);
    // With tracing on: a consumer span per metered message that came with a trace, as a child of the span that appended its event.
    const spans = metered.map((m) =>
      m.headers.traceparent ? this.tracing.start(`billing meter ${m.headers['event-type']}`, { kind: 'consumer', parent: m.headers.traceparent }) : null,
    );
    try {
      this.metered += await this.store.meterOnce(events, resources, meterAll);
      spans.forEach((span) => span?.end());
    } catch (error) {
      spans.forEach((span) => span?.end(error));
      throw error;
    }
  }
}
