/**
 * Runs `work(key)` for kicked keys, at most `concurrency` at a time, never twice at once for one
 * key; a key kicked while its work runs is run again afterwards (nothing kicked is missed).
 */
export class KeyedWorkQueue {
  private readonly active = new Map<string, { again: boolean }>();
  private readonly waiting: string[] = [];
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly work: (key: string) => Promise<void>,
  ) {}

  kick(key: string): void {
    if (this.stopped) return;
    const running = this.active.get(key);
    if (running) {
      running.again = true;
      return;
    }
    if (this.active.size >= this.concurrency) {
      if (!this.waiting.includes(key)) this.waiting.push(key);
      return;
    }
    const entry = { again: false };
    this.active.set(key, entry);
    void this.work(key).finally(() => {
      this.active.delete(key);
      if (entry.again) this.kick(key);
      const next = this.waiting.shift();
      if (next) this.kick(next);
    });
  }

  /** Takes no more work; waits up to `graceMs` for the work in flight. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  start(): void {
    this.stopped = false;
  }
}
