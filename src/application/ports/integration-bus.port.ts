/** A message of the integration bus: a topic per bounded context, keyed by aggregate (order per aggregate). */
export type BusMessage = { topic: string; key: string; value: string; headers: Readonly<Record<string, string>> };

export type BusSubscription = { stop(): Promise<void> };

/**
 * Where integration events leave for the outside world: Kafka when KAFKA_BROKERS is set, an
 * in-process bus otherwise (same interface). Delivery is at least once: a consumer dedupes on the
 * event id (header `event-id`).
 */
export interface IntegrationBus {
  /** Resolves once every message is durably accepted (Kafka: acknowledged by all in-sync replicas). */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /**
   * Consumes topics as a group; a batch counts as consumed (its offsets committed) only after the
   * handler resolved, so a crash redelivers it.
   */
  subscribe(group: string, topics: readonly string[], handler: (messages: BusMessage[]) => Promise<void>): Promise<BusSubscription>;
  close(): Promise<void>;
}
export const INTEGRATION_BUS = Symbol('IntegrationBus');
