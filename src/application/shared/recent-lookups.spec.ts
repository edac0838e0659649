import { RecentLookups } from './recent-lookups';

describe('RecentLookups', () => {
  it('keeps what was found for its time, never keeps a miss, and looks again once the time is up', async () => {
    let now = 0;
    let stored: string | null = null;
    let reads = 0;
    const lookups = new RecentLookups<string>(1_000, () => now);
    const read = () => lookups.get('k', async () => (reads++, stored));

    expect(await read()).toBeNull();
    stored = 'v1';
    expect(await read()).toBe('v1'); // a miss was not kept: created a moment ago, found now
    stored = null;
    now = 999;
    expect(await read()).toBe('v1'); // deleted meanwhile, still found within the time
    expect(reads).toBe(2);
    now = 1_000;
    expect(await read()).toBeNull(); // time is up: read again
    expect(reads).toBe(3);
  });

  it('looks again at once when the kept value is no longer there', async () => {
    let stored: string | null = 'v1';
    let live = true;
    const lookups = new RecentLookups<string>(1_000, () => 0);
    const read = () =>
      lookups.get(
        'k',
        async () => stored,
        async () => live,
      );
    expect(await read()).toBe('v1');
    stored = 'v2';
    live = false; // v1 was deleted here, and the name taken again
    expect(await read()).toBe('v2');
  });
});
