import { Inject, Injectable } from '@nestjs/common';
import { CHECKPOINT_STORE, CheckpointStore } from '../ports/checkpoint-store.port';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '../ports/event-store.port';
import { INTEGRATION_BUS, IntegrationBus } from '../ports/integration-bus.port';
import { AppLogger, LOGGER } from '../ports/logger.port';
import { toBusMessage } from './integration-events';
import { RELAY_SETTINGS, RelaySettings } from './relay.settings';
import { sleep } from '../shared/sleep';
import { backoffDelay } from '../shared/work/backoff';

/** Retries of a publish while the bus is down: 100 ms doubling to 5 s, with jitter. */
const RETRY_BACKOFF = { baseMs: 100, capMs: 5_000 };

/**
 * The transactional outbox, without a second table: the event log itself is relayed to the bus in
 * position order from a durable checkpoint, which moves only after the bus accepted the batch. A
 * crash between the two publishes that batch again (consumers dedupe on the event id); nothing is
 * ever published that was not committed, and nothing committed is skipped. While the bus is down,
 * the relay retries with capped backoff and the log keeps everything meanwhile.
 */
@Injectable()
export class EventRelay {
  private subscription: Subscription | null = null;
  private stopped = false;
  private published = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INTEGRATION_BUS) private readonly bus: IntegrationBus,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(RELAY_SETTINGS) private readonly settings: RelaySettings,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  /** Events published since start (a figure for logs and benchmarks). */
  get count(): number {
    return this.published;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const from = await this.checkpoints.get(this.settings.name);
    this.subscription = this.store.subscribe(
      from,
      async (batch) => {
        // Events from before regions carry none: theirs is this region.
        const recordedHere = batch.filter((e) => (e.metadata.region ?? this.settings.region) === this.settings.region);
        if (recordedHere.length > 0) await this.publishTraced(recordedHere);
        await this.checkpoints.save(this.settings.name, batch[batch.length - 1].position);
        this.published += recordedHere.length;
      },
      { batchSize: this.settings.batchSize },
    );
    this.subscription.done.catch((error: unknown) => this.log.errorWith('relay stopped', { error: String(error) }));
    this.log.info('relay: following the log', { from });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
    this.subscription = null;
  }

  /**
   * Each message carries the traceparent of the span that appended its event (header `traceparent`),
   * so that a consumer continues the event's trace across the bus. No span of the relay's own per
   * event: on the hot path that cost more than it told (see Benchmarks, tracing's cost).
   */
  private async publishTraced(events: RecordedEvent[]): Promise<void> {
    await this.publishUntilAccepted(
      events.map((e) => {
        const message = toBusMessage(this.settings.topicPrefix, e);
        const traceparent = e.metadata.traceparent;
        return traceparent ? { ...message, headers: { ...message.headers, traceparent } } : message;
      }),
    );
  }

  private async publishUntilAccepted(messages: Parameters<IntegrationBus['publish']>[0]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bus.publish(messages);
        if (attempt > 0) this.log.info('relay: the bus accepts again', { attempts: attempt + 1 });
        return;
      } catch (error) {
        if (this.stopped) throw error;
        if (attempt === 0) this.log.warnWith('relay: the bus refused a batch; retrying', { error: String(error) });
        await sleep(backoffDelay(attempt + 1, RETRY_BACKOFF, Math.random));
      }
    }
  }
}
