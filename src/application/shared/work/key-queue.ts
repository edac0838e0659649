/** A FIFO of distinct keys: pushing a key already in it does nothing; push, shift and has are O(1). */
export class KeyQueue {
  private readonly keys = new Set<string>();

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** A Set keeps insertion order, so its first key is the oldest. */
  push(key: string): void {
    this.keys.add(key);
  }

  /** Puts keys not yet in the queue before all others. O(size): for rare moments (work taken over). */
  pushFirst(keys: readonly string[]): void {
    const rest = [...this.keys];
    this.keys.clear();
    for (const key of keys) this.keys.add(key);
    for (const key of rest) this.keys.add(key);
  }

  shift(): string | undefined {
    const first = this.keys.values().next();
    if (first.done) return undefined;
    this.keys.delete(first.value);
    return first.value;
  }

  removeWhere(matches: (key: string) => boolean): void {
    for (const key of this.keys) if (matches(key)) this.keys.delete(key);
  }

  clear(): void {
    this.keys.clear();
  }
}
