import { Consumer, Kafka, Producer, logLevel } from 'kafkajs';
import { AppLogger } from '../../application/ports/logger.port';
import { BusMessage, BusSubscription, IntegrationBus } from '../../application/ports/integration-bus.port';

export type KafkaSettings = { brokers: string[]; clientId: string; partitions: number };

/**
 * The integration bus on Kafka (kafkajs): an idempotent producer that waits for every in-sync
 * replica (acks=all), topics created up front, and consumer groups that commit a batch's offsets
 * only after its handler resolved (at least once; consumers dedupe on the event id).
 */
export class KafkaBus implements IntegrationBus {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private readonly consumers = new Set<Consumer>();
  private readonly created = new Set<string>();

  constructor(
    private readonly settings: KafkaSettings,
    private readonly log: AppLogger,
  ) {
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.log.warnWith(`kafka: ${entry.log.message}`, { namespace: entry.namespace }),
    });
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics([...new Set(messages.map((m) => m.topic))]);
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, BusMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, ms]) => ({ topic, messages: ms.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })) })),
      });
    } catch (error) {
      // A producer that failed may be left disconnected: the next publish starts a fresh one.
      this.producer = null;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async subscribe(group: string, topics: readonly string[], handler: (messages: BusMessage[]) => Promise<void>): Promise<BusSubscription> {
    await this.ensureTopics(topics);
    const consumer = this.kafka.consumer({ groupId: group, allowAutoTopicCreation: false, retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 } });
    this.consumers.add(consumer);
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        await handler(
          batch.messages.map((m) => ({
            topic: batch.topic,
            key: m.key?.toString() ?? '',
            value: m.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? ''])),
          })),
        );
        const last = batch.messages[batch.messages.length - 1].offset;
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect().catch(() => undefined)));
    this.consumers.clear();
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((t) => !this.created.has(t));
    if (missing.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: this.settings.partitions, replicationFactor: 1 })),
      });
      for (const t of missing) this.created.add(t);
    } finally {
      await admin.disconnect();
    }
  }
}
