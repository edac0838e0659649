/**
 * The topics' prefix (ORCH_KAFKA_TOPIC_PREFIX), the relay's checkpoint name, how many events go
 * per batch (ORCH_RELAY_BATCH_SIZE), and this region (ORCH_REGION): the relay publishes the events
 * its region recorded, not the copies of identity events other regions recorded (theirs publish those).
 */
export type RelaySettings = { topicPrefix: string; name: string; batchSize: number; region: string };
export const RELAY_SETTINGS = Symbol('RelaySettings');
