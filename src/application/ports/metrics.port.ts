export interface Metrics {
  eventsAppended(count: number): void;
  commandConflict(): void;
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<{ contentType: string; body: string }>;
}
export const METRICS = Symbol('Metrics');
