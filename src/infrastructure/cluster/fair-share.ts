/** What one member sees at a rebalance: the live members and who holds each shard. */
export type ShareView = {
  shards: number;
  me: string;
  /** Live members' ids, this one included. */
  live: readonly string[];
  /** Shard → the member holding it (shards nobody holds are absent). */
  holders: ReadonlyMap<number, string>;
};

/**
 * A member's next move toward a fair share: every shard held by one member, each member holding
 * ⌊S/M⌋ or ⌈S/M⌉. It takes free shards while it holds fewer than ⌈S/M⌉ (starting at its own
 * offset, so that members looking at once rarely reach for the same ones), gives back what it holds
 * beyond ⌈S/M⌉, and one more when nothing is free, it holds more than ⌊S/M⌋ and someone holds less.
 * Pure: every member runs it on its own view, and repeated rounds converge.
 */
export function planShares(view: ShareView): { acquire: number[]; release: number[] } {
  const live = [...new Set([...view.live, view.me])].sort();
  const floor = Math.floor(view.shards / live.length);
  const ceil = Math.ceil(view.shards / live.length);
  const counts = new Map(live.map((m) => [m, 0]));
  const free: number[] = [];
  const mine: number[] = [];
  for (let shard = 0; shard < view.shards; shard++) {
    const holder = view.holders.get(shard);
    if (holder === undefined || !counts.has(holder))
      free.push(shard); // a departed member's lock is gone with its connection
    else counts.set(holder, (counts.get(holder) as number) + 1);
    if (holder === view.me) mine.push(shard);
  }
  if (mine.length > ceil) return { acquire: [], release: mine.slice(ceil) };
  const someoneShort = live.some((m) => (counts.get(m) as number) < floor);
  if (free.length === 0) return { acquire: [], release: someoneShort && mine.length > floor ? mine.slice(-1) : [] };
  const offset = Math.floor((live.indexOf(view.me) * free.length) / live.length);
  const ordered = [...free.slice(offset), ...free.slice(0, offset)];
  return { acquire: ordered.slice(0, Math.max(0, ceil - mine.length)), release: [] };
}
