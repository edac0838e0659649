/** The topics' prefix (ORCH_KAFKA_TOPIC_PREFIX) and the consumer group billing reads them in. */
export type BillingSettings = { topicPrefix: string; group: string };
export const BILLING_SETTINGS = Symbol('BillingSettings');
