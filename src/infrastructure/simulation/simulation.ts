import { DriverError } from '../../application/shared/driver-error';
import { sleep } from '../../application/shared/sleep';

export type SimulationSettings = {
  /** Delay of every operation (ms); 0 answers at once. */
  latencyMs?: number;
  /** Probability (0..1) that an operation fails with a transient error, by operation name. */
  failureRate?: Record<string, number>;
  /** The next N calls of an operation fail with a transient error, by operation name (counted down). */
  failNext?: Record<string, number>;
  /** Seed of the pseudo-random generator behind fault injection (runs are repeatable). */
  seed?: number;
};

/** mulberry32: a small seeded generator, good enough to decide injected faults. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Latency and faults of a simulated host, as Nova's fake driver offers and more: a failure rate per
 * operation, and the whole host going down (every call then fails as unreachable).
 */
export class Simulation {
  hostDown = false;
  /** Faults injected so far, by operation name (host down included): a test checks its fault really happened. */
  readonly injected: Record<string, number> = {};
  private readonly random: () => number;

  constructor(private settings: SimulationSettings = {}) {
    this.random = seeded(settings.seed ?? 42);
  }

  configure(settings: SimulationSettings): void {
    this.settings = { ...this.settings, ...settings };
  }

  async operation(name: string): Promise<void> {
    const latency = this.settings.latencyMs ?? 0;
    if (latency > 0) await sleep(latency);
    if (this.hostDown) throw this.inject(new DriverError('unreachable', name, 'the host is down'));
    const next = this.settings.failNext?.[name] ?? 0;
    if (next > 0) {
      this.settings.failNext = { ...this.settings.failNext, [name]: next - 1 };
      throw this.inject(new DriverError('transient', name, 'injected fault'));
    }
    const rate = this.settings.failureRate?.[name] ?? 0;
    if (rate > 0 && this.random() < rate) throw this.inject(new DriverError('transient', name, 'injected fault'));
  }

  private inject(error: DriverError): DriverError {
    this.injected[error.operation] = (this.injected[error.operation] ?? 0) + 1;
    return error;
  }
}
