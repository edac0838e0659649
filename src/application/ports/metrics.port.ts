/** What a reconcile loop shows of itself at every scrape (see ReconcileLoop.stats). */
export type WorkLoopStats = {
  /** Keys waiting for a free worker slot. */
  ready: number;
  inFlight: number;
  /** Keys whose last reconcile failed, waiting out their backoff: failing (counted toward giving up) or only waiting (a host down). */
  failing: number;
  waiting: number;
  /** Age of the oldest unresolved failure, 0 when none. */
  oldestRetrySeconds: number;
};

export interface Metrics {
  /** Events appended, by type (those ending in `Failed` are also counted as failures, by type). */
  eventsAppended(types: readonly string[]): void;
  commandConflict(): void;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** A reconcile loop whose stats are read at every scrape. */
  workLoop(loop: string, stats: () => WorkLoopStats): void;
  /** A reconcile failed: `waiting` when it was only waiting on something down. */
  workFailed(loop: string, waiting: boolean): void;
  /** A key that kept failing was given up on and its terminal state recorded. */
  workGaveUp(loop: string): void;
  /** How far the read models are behind the log, read at every scrape; null where the projections do not run in this process. */
  projectionLag(read: () => Promise<number | null>): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<{ contentType: string; body: string }>;
}
export const METRICS = Symbol('Metrics');
