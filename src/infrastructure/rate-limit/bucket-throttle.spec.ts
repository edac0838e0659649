import { BucketThrottle, ThrottleRules } from './bucket-throttle';
import { takeFrom } from './token-bucket';

const RULES: ThrottleRules = { address: { perSecond: 2, burst: 4 }, user: null, failedLogin: { perSecond: 0.5, burst: 2 } };

function throttleAt(share = 1) {
  const clock = { now: 0 };
  const refused: string[] = [];
  const throttle = new BucketThrottle({ rules: RULES, nowMs: () => clock.now, share: () => share, refused: (k) => refused.push(k) });
  return { throttle, clock, refused };
}

const admitted = (throttle: BucketThrottle, n: number, key = 'a') =>
  Array.from({ length: n }, () => throttle.take('address', key)).filter((w) => w === null).length;

describe('token buckets', () => {
  it('admits the burst, then refuses with the seconds until a token is back, and refills at the rate', () => {
    const { throttle, clock, refused } = throttleAt();
    expect(admitted(throttle, 10)).toBe(4);
    expect(refused).toHaveLength(6);
    expect(throttle.take('address', 'a')).toBe(1); // 0.5 s to the next token, said as a whole second
    clock.now = 1_000; // two tokens back
    expect(admitted(throttle, 10)).toBe(2);
    clock.now = 60_000; // never more than the burst
    expect(admitted(throttle, 10)).toBe(4);
  });

  it('keeps one bucket per key and per kind', () => {
    const { throttle } = throttleAt();
    expect(admitted(throttle, 10, 'a')).toBe(4);
    expect(admitted(throttle, 10, 'b')).toBe(4);
    expect(throttle.take('failedLogin', 'a')).toBeNull();
  });

  it('admits everything for a limit that is off', () => {
    const { throttle } = throttleAt();
    expect(Array.from({ length: 1000 }, () => throttle.take('user', 'u')).every((w) => w === null)).toBe(true);
  });

  it('counts nothing when only asked whether one would be admitted', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 10; i++) expect(throttle.waitFor('failedLogin', 'u')).toBeNull();
    throttle.take('failedLogin', 'u');
    throttle.take('failedLogin', 'u');
    expect(throttle.waitFor('failedLogin', 'u')).toBe(2);
  });

  it("holds only this process's share of the limit, and at least one request", () => {
    const half = throttleAt(0.5);
    expect(admitted(half.throttle, 10)).toBe(2);
    half.clock.now = 1_000;
    expect(admitted(half.throttle, 10)).toBe(1);
    const tiny = throttleAt(0.1);
    expect(admitted(tiny.throttle, 10)).toBe(1);
  });

  it('forgets buckets that have filled up again', () => {
    const { throttle, clock } = throttleAt();
    admitted(throttle, 2, 'a');
    admitted(throttle, 2, 'b');
    expect(throttle.size()).toBe(2);
    clock.now = 60_000;
    throttle.take('address', 'c');
    expect(throttle.size()).toBe(1);
  });

  it('refills nothing when the clock goes back', () => {
    const first = takeFrom(undefined, { perSecond: 1, burst: 1 }, 10_000);
    const back = takeFrom(first.bucket, { perSecond: 1, burst: 1 }, 5_000);
    expect(back.admitted).toBe(false);
  });
});
