/** The topics' prefix (ORCH_KAFKA_TOPIC_PREFIX), the relay's checkpoint name, and how many events go per batch (ORCH_RELAY_BATCH_SIZE). */
export type RelaySettings = { topicPrefix: string; name: string; batchSize: number };
export const RELAY_SETTINGS = Symbol('RelaySettings');
