import { BusMessage, BusSubscription, IntegrationBus } from '../../application/ports/integration-bus.port';

type Subscriber = { group: string; topics: ReadonlySet<string>; handler: (messages: BusMessage[]) => Promise<void> };

/**
 * The embedded default's bus: a publish hands its messages to every subscribed group (one handler
 * per group) and resolves only once they all handled them, so the relay's checkpoint never passes
 * an event a consumer has not taken; a failing handler fails the publish, which the relay retries.
 */
export class InProcessBus implements IntegrationBus {
  private readonly subscribers = new Set<Subscriber>();

  async publish(messages: readonly BusMessage[]): Promise<void> {
    for (const s of this.subscribers) {
      const mine = messages.filter((m) => s.topics.has(m.topic));
      if (mine.length > 0) await s.handler(mine);
    }
  }

  async subscribe(group: string, topics: readonly string[], handler: (messages: BusMessage[]) => Promise<void>): Promise<BusSubscription> {
    if ([...this.subscribers].some((s) => s.group === group)) throw new Error(`group ${group} already consumes this bus`);
    const subscriber = { group, topics: new Set(topics), handler };
    this.subscribers.add(subscriber);
    return { stop: async () => void this.subscribers.delete(subscriber) };
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
