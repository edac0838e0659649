import { Metrics } from '../../ports/metrics.port';
import { backoffDelay } from './backoff';
import { Failure, ReconcileLoop, ReconcileLoopOptions } from './reconcile-loop';
import { ReconcileResult, done, requeueAfter } from './reconcile-result';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, what: string, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
};

const quiet = { info: () => undefined, warnWith: () => undefined, errorWith: () => undefined };

const metrics = () => {
  const counts = { failed: 0, waiting: 0, gaveUp: 0 };
  const m: Metrics = {
    eventsAppended: () => undefined,
    projectionLag: () => undefined,
    commandConflict: () => undefined,
    httpRequest: () => undefined,
    workLoop: () => undefined,
    workFailed: (_loop, waiting) => void (waiting ? counts.waiting++ : counts.failed++),
    workGaveUp: () => void counts.gaveUp++,
    render: async () => ({ contentType: 'text/plain', body: '' }),
  };
  return { counts, m };
};

function loop(reconcile: (key: string) => Promise<ReconcileResult>, options: Partial<ReconcileLoopOptions> = {}) {
  const { counts, m } = metrics();
  const settings = { backoff: { baseMs: 5, capMs: 40 }, maxAttempts: 4, giveUpAfterMs: 60_000 };
  const l = new ReconcileLoop({ name: 'test', concurrency: 2, settings, metrics: m, log: quiet, ...options }, reconcile);
  return { l, counts };
}

describe('ReconcileLoop', () => {
  it('runs a key once for many kicks while it waits, never twice at once, and again when kicked while running', async () => {
    const runs: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { l } = loop(
      async (key) => {
        runs.push(key);
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        if (runs.length === 1) await gate;
        concurrent--;
        return done;
      },
      { concurrency: 1 },
    );
    l.kick('a'); // runs, held by the gate
    l.kick('b');
    l.kick('b');
    l.kick('b');
    l.kick('a'); // while running: once more afterwards
    release();
    await until(() => runs.length >= 3, 'three runs');
    await sleep(20);
    expect(runs).toEqual(['a', 'b', 'a']);
    expect(maxConcurrent).toBe(1);
  });

  it('keeps at most `concurrency` reconciles in flight', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let finished = 0;
    const { l } = loop(
      async () => {
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await sleep(5);
        concurrent--;
        finished++;
        return done;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 20; i++) l.kick(`k${i}`);
    await until(() => finished === 20, 'all keys');
    expect(maxConcurrent).toBe(3);
  });

  it('does not hold a slot while a key waits to be requeued', async () => {
    const runs: string[] = [];
    const { l } = loop(
      async (key) => {
        runs.push(key);
        return key === 'slow' ? requeueAfter(10_000) : done;
      },
      { concurrency: 1 },
    );
    l.kick('slow');
    await until(() => runs.length === 1, 'the first run');
    l.kick('other');
    await until(() => runs.includes('other'), 'the other key');
    expect(l.stats()).toMatchObject({ inFlight: 0, ready: 0 });
    await l.stop(100);
  });

  it('retries a failing key with growing backoff, then gives up, records it and reconciles once more', async () => {
    const times: number[] = [];
    const given: Failure[] = [];
    let failing = true;
    const { l, counts } = loop(
      async () => {
        times.push(Date.now());
        if (failing) throw new Error('disk on fire');
        return done;
      },
      {
        random: () => 1, // no jitter: each delay is its whole step
        giveUp: async (_key, failure) => {
          given.push(failure);
          failing = false; // the terminal state is recorded: the next reconcile has nothing to fail on
        },
      },
    );
    l.kick('k');
    await until(() => times.length === 5, 'four failures and the reconcile after giving up');
    expect(given).toHaveLength(1);
    expect(given[0]).toMatchObject({ failures: 4, attempts: 4, lastError: 'disk on fire', waiting: false });
    expect(counts).toMatchObject({ failed: 4, gaveUp: 1 });
    // Backoff doubles: 5, 10, 20 ms between the failures (less a millisecond of timer rounding).
    const gaps = times.slice(1, 4).map((t, i) => t - times[i]);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(5 * 2 ** i - 1));
    expect(l.failureOf('k')).toBeUndefined();
  });

  it('gives up after the time bound even before the attempts bound', async () => {
    let clock = 1_000;
    const given: Failure[] = [];
    const { l } = loop(
      async () => {
        clock += 50_000; // each attempt takes "50 s"
        throw new Error('slow failure');
      },
      {
        now: () => clock,
        settings: { backoff: { baseMs: 5, capMs: 40 }, maxAttempts: 100, giveUpAfterMs: 120_000 },
        giveUp: async (_k, f) => void given.push(f),
      },
    );
    l.kick('k');
    await until(() => given.length === 1, 'giving up');
    expect(given[0].failures).toBe(4); // failures at 51, 101, 151 and 201 s: the fourth is the first 120 s past the first
    await l.stop(50);
  });

  it('never gives up on a key that is only waiting, shows it as waiting, and forgets it once it succeeds', async () => {
    let down = true;
    let attempts = 0;
    const seen: Failure[] = [];
    const { l, counts } = loop(
      async () => {
        attempts++;
        if (down) throw Object.assign(new Error('host down'), { unreachable: true });
        return done;
      },
      {
        isWaiting: (e) => (e as { unreachable?: boolean }).unreachable === true,
        settings: { backoff: { baseMs: 5, capMs: 40 }, maxAttempts: 2, giveUpAfterMs: 60_000 },
        giveUp: async () => void counts.gaveUp++,
        onFailure: async (_key, f) => void seen.push(f),
      },
    );
    l.kick('k');
    await until(() => attempts >= 6, 'six attempts');
    expect(counts.gaveUp).toBe(0);
    expect(l.stats()).toMatchObject({ waiting: 1, failing: 0 });
    expect(l.stats().oldestRetrySeconds).toBeGreaterThan(0);
    expect(seen.every((f) => f.waiting && f.failures === 0)).toBe(true);
    down = false;
    await until(() => l.failureOf('k') === undefined, 'success', 3_000);
    expect(l.stats()).toMatchObject({ waiting: 0, failing: 0 });
  });

  it('counts a failure after a success from zero again', async () => {
    let n = 0;
    const { l } = loop(async () => {
      n++;
      if (n === 1 || n === 3) throw new Error(`fail ${n}`);
      return n < 4 ? requeueAfter(1) : done;
    });
    l.kick('k');
    await until(() => n === 4, 'four runs');
    await sleep(10);
    expect(l.failureOf('k')).toBeUndefined();
  });

  it('debounces kicks within a delay into one reconcile', async () => {
    let runs = 0;
    const { l } = loop(async () => {
      runs++;
      return done;
    });
    for (let i = 0; i < 10; i++) l.kickWithin('host', 30);
    await sleep(10);
    expect(runs).toBe(0);
    await until(() => runs === 1, 'one run');
    await sleep(40);
    expect(runs).toBe(1);
  });

  it('stops: waits for reconciles in flight and drops what waits', async () => {
    let finished = 0;
    const { l } = loop(async (key) => {
      await sleep(20);
      finished++;
      return key === 'again' ? requeueAfter(5) : done;
    });
    l.kick('again');
    l.kick('x');
    await sleep(5);
    await l.stop(1_000);
    expect(finished).toBe(2);
    await sleep(40);
    expect(finished).toBe(2);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, with jitter between half the step and the step', () => {
    const b = { baseMs: 100, capMs: 1_000 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, b, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect([1, 2, 5].map((n) => backoffDelay(n, b, () => 0))).toEqual([50, 100, 500]);
  });
});

describe('ReconcileLoop shared out among processes', () => {
  it('takes only the keys it owns, and releases a key only after its reconcile in flight has finished', async () => {
    const owned = new Set(['a', 'b']);
    const runs: string[] = [];
    let finishA!: () => void;
    const gateA = new Promise<void>((r) => (finishA = r));
    const { l } = loop(
      async (key) => {
        runs.push(key);
        if (key === 'a') await gateA;
        return requeueAfter(5);
      },
      { owns: (key) => owned.has(key) },
    );
    l.kick('a');
    l.kick('b');
    l.kick('c'); // another process's
    await until(() => runs.includes('a') && runs.includes('b'), 'a and b to run');
    expect(runs).not.toContain('c');

    owned.clear(); // the shard goes elsewhere
    let released = false;
    const releasing = l.release(() => true, 2_000).then(() => (released = true));
    await sleep(30);
    expect(released).toBe(false); // a is still running here: its next owner must not start beside it
    finishA();
    await releasing;
    const before = runs.length;
    await sleep(30); // b's requeue and a's would have run by now had they not been dropped
    expect(runs.length).toBe(before);
    l.kick('a');
    await sleep(10);
    expect(runs.length).toBe(before);
    await l.stop(100);
  });

  it('puts keys taken over before the queue, leaving those already waiting where they are', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { l } = loop(
      async (key) => {
        runs.push(key);
        if (key === 'busy') await gate;
        return done;
      },
      { concurrency: 1 },
    );
    l.kick('busy'); // holds the only slot
    l.kick('own-1');
    l.kick('own-2');
    l.kickFirst(['own-2', 'taken-1', 'taken-2']); // own-2 waits already: it keeps its place
    release();
    await until(() => runs.length === 5, 'every key');
    expect(runs).toEqual(['busy', 'taken-1', 'taken-2', 'own-1', 'own-2']);
  });
});
