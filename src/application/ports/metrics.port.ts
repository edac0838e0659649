export interface Metrics {
  eventsAppended(count: number): void;
  commandConflict(): void;
}
export const METRICS = Symbol('Metrics');
