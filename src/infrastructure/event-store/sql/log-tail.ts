import { RecordedEvent } from '../../../application/ports/event-store.port';

type ReadAll = (after: number, limit: number) => Promise<RecordedEvent[]>;

/**
 * The recent end of the global log, held in memory and shared by every follower of this process.
 * It holds every event with `floor < position <= head`. It grows from two sources: reads of the
 * database (one in flight at a time, whoever asks), and this process's own commits when they
 * continue the held log without a gap. A commit that leaves a gap (another process wrote in
 * between, or a position was skipped) marks the tail stale, and the next read fills it from the
 * database. N followers thus cost one read, and usually none.
 */
export class LogTail {
  private events: RecordedEvent[] = [];
  private floor = 0;
  private head = 0;
  /** False until the first read of the database fixed where the tail starts. */
  private anchored = false;
  /** The database may hold events after `head` that the tail does not. */
  private stale = true;
  private fetching: Promise<void> | null = null;

  constructor(
    private readonly readAll: ReadAll,
    private readonly capacity = 20_000,
    private readonly fetchSize = 1_000,
  ) {}

  /**
   * Up to `limit` events after `after`, in position order; empty when there is nothing newer.
   * Served from memory where the tail covers `after`, from the database otherwise.
   */
  async read(after: number, limit: number): Promise<RecordedEvent[]> {
    if (!this.anchored) await this.fetch(after);
    if (after > this.head) this.anchor(after); // every follower is past what the tail holds: start it again there
    if (after < this.floor || after > this.head) return this.readAll(after, limit);
    // At the head, a read in flight may bring what was committed since the follower last looked,
    // and a commit announced while it ran leaves the tail stale again: wait for it, and read again
    // while stale, so that an announcement is never answered with an empty slice.
    while (after === this.head && (this.stale || this.fetching)) await this.fetch(after);
    return this.slice(after, limit);
  }

  /** True when offered commits can extend the tail (worth building them). */
  get following(): boolean {
    return this.anchored;
  }

  /**
   * Events this process just committed, in position order. They extend the tail only where they
   * continue it without a gap; a gap means someone else's events may lie in between, which the
   * next read then takes from the database.
   */
  offer(committed: readonly RecordedEvent[]): void {
    if (!this.anchored) return;
    for (const event of committed) {
      if (event.position <= this.head) continue;
      if (event.position !== this.head + 1) {
        this.stale = true;
        return;
      }
      this.push(event);
    }
  }

  /** Another process committed up to `position`: stale unless the tail already reaches it. */
  noteCommitted(position: number): void {
    if (!this.anchored || position > this.head) this.stale = true;
  }

  /** Something outside this process may have appended (a poll tick). */
  markStale(): void {
    this.stale = true;
  }

  /** Reads the database after the head (or from `from` before the tail is anchored), one read at a time. */
  private fetch(from: number): Promise<void> {
    this.fetching ??= (async () => {
      try {
        if (!this.anchored) this.anchor(from);
        const start = this.head;
        this.stale = false; // a gap offered or a poll while reading sets it again
        const batch = await this.readAll(start, this.fetchSize);
        // The database's answer is complete after `start` (gaps in it are positions nobody holds),
        // so whatever it has beyond the head, which commits offered meanwhile may have moved, is next.
        for (const event of batch) if (event.position > this.head) this.push(event);
        if (batch.length === this.fetchSize) this.stale = true;
      } catch (error) {
        this.stale = true;
        throw error;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }

  private anchor(position: number): void {
    this.anchored = true;
    this.events = [];
    this.floor = this.head = position;
    this.stale = true;
  }

  private push(event: RecordedEvent): void {
    this.events.push(event);
    this.head = event.position;
    // Trimmed in chunks: one splice per quarter of the capacity rather than one per event.
    if (this.events.length > this.capacity * 1.25) {
      const dropped = this.events.splice(0, this.events.length - this.capacity);
      this.floor = dropped[dropped.length - 1].position;
    }
  }

  private slice(after: number, limit: number): RecordedEvent[] {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].position <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo, lo + limit);
  }
}
