import { CheckpointStore } from '../../../application/ports/checkpoint-store.port';
import { EventStore, RecordedEvent, WrongExpectedVersion } from '../../../application/ports/event-store.port';
import { Wakeup } from '../sql/wakeup';
import { Mutex } from '../../../application/shared/mutex';
import { asNewEvent, streamRuns } from './identity-streams';

const CHECKPOINT = 'identity-mirror';
const BATCH = 500;

type Log = { info(msg: string, fields?: Record<string, unknown>): void; warnWith(msg: string, fields: Record<string, unknown>): void };

/**
 * Copies the shared identity log into this region's log, in the identity log's order, each event
 * with its id, metadata (the region that recorded it included) and version in its stream. The
 * region's projections, replay, audit and relay then see identity like any other context, and a
 * token is checked here without asking the identity database.
 *
 * Any number of copiers may run (every process of every region has one): each copies in log
 * order, so an event's predecessors in its stream are there before it, and a copy that another
 * copier made first fails on its expected version and is skipped.
 */
export class IdentityMirror {
  private readonly mutex = new Mutex();
  private readonly wakeup = new Wakeup();
  private following: Promise<void> | null = null;
  private running = false;
  private copied = 0;

  constructor(
    private readonly identity: EventStore,
    private readonly local: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly log: Log,
    private readonly options: { pollIntervalMs: number; commits?: { on(channel: 'orch_log', listener: () => void): () => void } },
  ) {}

  /** Copies everything the identity log holds now that this region lacks. */
  catchUp(): Promise<void> {
    return this.mutex.run(async () => {
      let after = Math.max(this.copied, await this.checkpoints.get(CHECKPOINT));
      for (;;) {
        const batch = await this.identity.readAll(after, BATCH);
        if (batch.length === 0) return;
        for (const run of streamRuns(batch)) await this.copy(run);
        after = batch[batch.length - 1].position;
        this.copied = after;
        await this.checkpoints.save(CHECKPOINT, after);
      }
    });
  }

  /**
   * Follows the identity log for what other regions record: woken by the identity database's
   * NOTIFY, else every poll interval; a copy that fails (the identity database unreachable) is
   * logged and tried again at the next wake-up, and this region goes on with what it holds.
   */
  async start(): Promise<void> {
    this.running = true;
    const unsubscribe = this.options.commits?.on('orch_log', () => this.wakeup.notify());
    this.following = (async () => {
      let failing = false;
      while (this.running) {
        try {
          await this.catchUp();
          if (failing) this.log.info('identity mirror: copying again');
          failing = false;
        } catch (error) {
          if (!failing) this.log.warnWith('identity mirror: copying failed; this region goes on with what it holds', { error: String(error) });
          failing = true;
        }
        await this.wakeup.wait(this.options.pollIntervalMs);
      }
      unsubscribe?.();
    })();
    this.log.info('identity mirror following', { from: this.copied });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.notify();
    await this.following;
    this.following = null;
  }

  /** Appends a run of one stream's consecutive events at their versions, skipping what is already here. */
  private async copy(run: readonly RecordedEvent[]): Promise<void> {
    let pending = run;
    while (pending.length > 0) {
      try {
        await this.local.append(pending[0].stream, pending.map(asNewEvent), pending[0].version - 1);
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion) || error.actual < pending[0].version - 1) throw error;
        await this.assertSameAsHere(pending.filter((e) => e.version <= error.actual));
        pending = pending.filter((e) => e.version > error.actual);
      }
    }
  }

  /**
   * What is already here at those versions must be those very events: anything else means this
   * region recorded identity of its own before it shared one (see seedIdentity), and copying on
   * would leave two truths. Refused loudly rather than skipped.
   */
  private async assertSameAsHere(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const here = await this.local.readStream(events[0].stream, events[0].version);
    const diverging = events.find((e, i) => here[i]?.id !== e.id);
    if (diverging)
      throw new Error(
        `identity mirror: ${diverging.stream} version ${diverging.version} here is not the shared identity's event ${diverging.id}; this region's identity diverges from the shared one`,
      );
  }
}
