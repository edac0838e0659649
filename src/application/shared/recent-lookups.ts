/**
 * Lookups that found something, kept for a short while. Misses are never kept, so what was just
 * created is seen at once. A kept value is checked with `stillThere` before it is used (the
 * aggregate's cached state: no I/O), so a delete made through this process is seen at once too;
 * one made elsewhere may go unseen for `ttlMs`, as if it had come a moment later.
 */
export class RecentLookups<T> {
  private readonly found = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, lookup: () => Promise<T | null>, stillThere: (value: T) => Promise<boolean> = async () => true): Promise<T | null> {
    const hit = this.found.get(key);
    const now = this.now();
    if (hit && hit.until > now && (await stillThere(hit.value))) return hit.value;
    const value = await lookup();
    if (value === null) this.found.delete(key);
    else {
      if (this.found.size >= this.maxEntries) this.found.clear();
      this.found.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }
}
