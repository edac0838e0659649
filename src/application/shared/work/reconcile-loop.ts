import { Metrics, WorkLoopStats } from '../../ports/metrics.port';
import { AppLogger } from '../../ports/logger.port';
import { backoffDelay } from './backoff';
import { KeyQueue } from './key-queue';
import { Reconcile } from './reconcile-result';
import { WorkSettings } from './work.settings';

/** A key's failures since its last successful reconcile. */
export type Failure = {
  /** Reconciles that failed in a row (waiting ones included): the backoff's exponent. */
  attempts: number;
  /** Of those, the ones that were not only waiting: what giving up counts. */
  failures: number;
  /** When the first of them failed (ms since the epoch). */
  since: number;
  lastError: string;
  /** Whether the last one was only waiting on something unreachable. */
  waiting: boolean;
};

export type ReconcileLoopOptions = {
  /** The loop's name in metrics and logs. */
  name: string;
  /** Keys reconciled at the same time. */
  concurrency: number;
  /** Backoff and when to give up (ORCH_WORK_*). */
  settings: WorkSettings;
  /** Records the terminal state of a key given up on; absent: the key is never given up on (retried at the capped interval for ever). */
  giveUp?: (key: string, failure: Failure) => Promise<void>;
  /** Errors that mean the work is only waiting (a host down): retried at the capped interval, never given up on. */
  isWaiting?: (error: unknown) => boolean;
  /** Told of every failed reconcile, before its retry is scheduled (to make it visible on the resource). */
  onFailure?: (key: string, failure: Failure) => Promise<void>;
  metrics: Metrics;
  log: AppLogger;
  /** Whether this process owns a key's work (several processes share it out); absent: every key. */
  owns?: (key: string) => boolean;
  now?: () => number;
  random?: () => number;
};

/**
 * A keyed, level-triggered work queue after controller-runtime: `kick(key)` asks for a reconcile
 * of the key; keys are deduplicated while they wait, and one key is never reconciled twice at
 * once (a key kicked while it runs runs again right after). A reconcile returns done or
 * requeueAfter(ms), or throws: then the key is retried after a capped exponential backoff with
 * jitter, per key. No key ever holds a worker slot while it waits: delayed keys sit on timers.
 * A key that keeps failing is given up on (`giveUp.record` writes its terminal state, then the
 * key is reconciled once more to act on it); one that is only waiting is retried for ever.
 */
export class ReconcileLoop {
  private readonly ready = new KeyQueue();
  private readonly running = new Map<string, { dirty: boolean }>();
  private readonly delayed = new Map<string, { due: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, Failure>();
  private readonly idle: Array<() => void> = [];
  private readonly drained: Array<{ leaves: (key: string) => boolean; resolve: () => void }> = [];
  private stopped = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly options: ReconcileLoopOptions,
    private readonly reconcile: Reconcile,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    options.metrics.workLoop(options.name, () => this.stats());
  }

  /** Reconcile the key as soon as a slot is free (at once if it was backing off). */
  kick(key: string): void {
    if (this.stopped || !this.owned(key)) return;
    const running = this.running.get(key);
    if (running) return void (running.dirty = true);
    this.cancelDelay(key);
    this.enqueue(key);
  }

  /**
   * Keys taken over from a process that left: they have waited longest, so those not already
   * waiting here go before the queue (else a busy process would reach them only after all its own).
   */
  kickFirst(keys: readonly string[]): void {
    if (this.stopped) return;
    const first: string[] = [];
    for (const key of keys) {
      if (!this.owned(key) || this.ready.has(key)) continue;
      const running = this.running.get(key);
      if (running) {
        running.dirty = true;
        continue;
      }
      this.cancelDelay(key);
      first.push(key);
    }
    if (first.length === 0) return;
    this.ready.pushFirst(first);
    this.pump();
  }

  /** Reconcile the key within `ms`: kicks within that time share one reconcile (a debounce). */
  kickWithin(key: string, ms: number): void {
    if (this.stopped || !this.owned(key)) return;
    const running = this.running.get(key);
    if (running) return void (running.dirty = true);
    if (this.ready.has(key)) return;
    const delayed = this.delayed.get(key);
    if (delayed && delayed.due <= this.now() + ms) return;
    this.schedule(key, ms);
  }

  /** The key made progress: its earlier failures no longer count (its next failure is its first). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** The failure a key is backing off from, if any. */
  failureOf(key: string): Failure | undefined {
    return this.failures.get(key);
  }

  stats(): WorkLoopStats {
    let waiting = 0;
    let oldest = Infinity;
    for (const f of this.failures.values()) {
      if (f.waiting) waiting++;
      oldest = Math.min(oldest, f.since);
    }
    return {
      ready: this.ready.size,
      inFlight: this.running.size,
      failing: this.failures.size - waiting,
      waiting,
      oldestRetrySeconds: oldest === Infinity ? 0 : Math.max(0, (this.now() - oldest) / 1000),
    };
  }

  start(): void {
    this.stopped = false;
  }

  /** Takes no more work and forgets what waits; waits up to `graceMs` for the reconciles in flight. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.ready.clear();
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    if (this.running.size === 0) return;
    this.options.log.info(`${this.options.name}: stopping; letting the steps in flight finish`, { count: this.running.size, graceMs });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => this.idle.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.reportCut('stopped', [...this.running.keys()]);
  }

  /**
   * Keys this process no longer owns: forgets those that wait and resolves once none of them is
   * being reconciled (or after `graceMs`), so that their next owner never runs a step beside ours.
   */
  async release(leaves: (key: string) => boolean, graceMs: number): Promise<void> {
    this.ready.removeWhere(leaves);
    for (const key of [...this.delayed.keys()]) if (leaves(key)) this.cancelDelay(key);
    for (const key of [...this.failures.keys()]) if (leaves(key)) this.failures.delete(key);
    if (![...this.running.keys()].some(leaves)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.drained.push({ leaves, resolve })),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    this.reportCut('gave up keys', [...this.running.keys()].filter(leaves));
  }

  /** Steps still running when the grace ran out: they are cut short, and their next owner resumes them from the log. */
  private reportCut(what: string, keys: string[]): void {
    if (keys.length > 0) this.options.log.warnWith(`${this.options.name}: ${what} with steps still in flight`, { count: keys.length, keys: keys.slice(0, 20) });
  }

  private owned(key: string): boolean {
    return this.options.owns?.(key) ?? true;
  }

  private enqueue(key: string): void {
    this.ready.push(key);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.options.concurrency && this.ready.size > 0) {
      const key = this.ready.shift() as string;
      if (!this.owned(key)) continue; // its shard went elsewhere while it waited
      const entry = { dirty: false };
      this.running.set(key, entry);
      void this.run(key, entry);
    }
  }

  private async run(key: string, entry: { dirty: boolean }): Promise<void> {
    // The key stays running until its outcome is recorded: a kick meanwhile only marks it dirty.
    let next: number | null;
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      next = result.kind === 'requeueAfter' ? result.ms : null;
    } catch (error) {
      next = await this.failed(key, error);
    }
    this.running.delete(key);
    if (!this.stopped) {
      if (entry.dirty) this.enqueue(key);
      else if (next !== null) this.schedule(key, next);
    }
    if (this.running.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
    this.resolveDrained();
    this.pump();
  }

  /** Records a failed reconcile; the delay before the key's next one. */
  private async failed(key: string, error: unknown): Promise<number> {
    const waiting = this.options.isWaiting?.(error) ?? false;
    const previous = this.failures.get(key);
    const failure: Failure = {
      attempts: (previous?.attempts ?? 0) + 1,
      failures: (previous?.failures ?? 0) + (waiting ? 0 : 1),
      since: previous?.since ?? this.now(),
      lastError: error instanceof Error ? error.message : String(error),
      waiting,
    };
    this.failures.set(key, failure);
    const { name, giveUp, metrics, log, settings } = this.options;
    metrics.workFailed(name, waiting);
    if (!waiting && giveUp && (failure.failures >= settings.maxAttempts || this.now() - failure.since >= settings.giveUpAfterMs)) {
      try {
        await giveUp(key, failure);
        this.failures.delete(key);
        metrics.workGaveUp(name);
        log.warnWith('gave up on work that kept failing', { loop: name, key, ...failure });
        return 0; // once more, to act on the terminal state (give back what it held)
      } catch (recordError) {
        log.errorWith('could not record giving up; will try again', { loop: name, key, error: String(recordError) });
      }
    } else {
      log.warnWith(waiting ? 'work is waiting; will retry' : 'work failed; will retry', { loop: name, key, ...failure });
    }
    await this.options.onFailure?.(key, failure).catch((e: unknown) => log.errorWith('could not record a retry', { loop: name, key, error: String(e) }));
    return backoffDelay(failure.attempts, settings.backoff, this.random);
  }

  private resolveDrained(): void {
    if (this.drained.length === 0) return;
    const running = [...this.running.keys()];
    for (const d of this.drained.splice(0)) {
      if (running.some(d.leaves)) this.drained.push(d);
      else d.resolve();
    }
  }

  private schedule(key: string, ms: number): void {
    this.cancelDelay(key);
    if (ms <= 0) return this.enqueue(key);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.enqueue(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, { due: this.now() + ms, timer });
  }

  private cancelDelay(key: string): void {
    const delayed = this.delayed.get(key);
    if (!delayed) return;
    clearTimeout(delayed.timer);
    this.delayed.delete(key);
  }
}
