import fc from 'fast-check';
import { planShares } from './fair-share';

/** Rounds of every member planning on the same view, acquisitions taking only what is free (as pg_try_advisory_lock). */
function settle(shards: number, members: readonly string[], holders: Map<number, string>, rounds = 30): number {
  for (let round = 1; round <= rounds; round++) {
    let moved = false;
    for (const me of members) {
      const { acquire, release } = planShares({ shards, me, live: members, holders });
      for (const s of release) {
        holders.delete(s);
        moved = true;
      }
      for (const s of acquire)
        if (!holders.has(s)) {
          holders.set(s, me);
          moved = true;
        }
    }
    if (!moved) return round;
  }
  return rounds + 1;
}

function counts(members: readonly string[], holders: ReadonlyMap<number, string>): number[] {
  return members.map((m) => [...holders.values()].filter((h) => h === m).length);
}

describe('planShares', () => {
  it('converges from any holding to every shard held once and shares that differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 64 }),
        (shards, memberCount, initial) => {
          const members = Array.from({ length: memberCount }, (_, i) => `m${i}`);
          // Start from any holding, departed members (m8, m9) included: their locks died with them.
          const holders = new Map<number, string>();
          initial.slice(0, shards).forEach((owner, shard) => owner < memberCount && holders.set(shard, `m${owner}`));
          const rounds = settle(shards, members, holders);
          expect(rounds).toBeLessThanOrEqual(30);
          expect(holders.size).toBe(shards);
          const c = counts(members, holders);
          expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('moves only what it must when a member joins or leaves', () => {
    const holders = new Map<number, string>();
    settle(32, ['a', 'b', 'c'], holders);
    expect(counts(['a', 'b', 'c'], holders).sort()).toEqual([10, 11, 11]);
    const before = new Map(holders);
    settle(32, ['a', 'b', 'c', 'd'], holders);
    expect(counts(['a', 'b', 'c', 'd'], holders)).toEqual([8, 8, 8, 8]);
    const moved = [...holders].filter(([s, m]) => before.get(s) !== m).length;
    expect(moved).toBe(8);
    for (const [s, m] of [...holders]) if (m === 'b') holders.delete(s); // b dies: its locks go with it
    settle(32, ['a', 'c', 'd'], holders);
    expect(counts(['a', 'c', 'd'], holders).sort()).toEqual([10, 11, 11]);
  });
});
