import { EventStore, EventTypes, RecordedEvent, typeSelector, WrongExpectedVersion } from '../../src/application/ports/event-store.port';
import { newEvent, newEvents } from '../support/events';
import { eventually } from '../support/eventually';

/** Opens a store on the adapter's backing storage; every open of one harness sees the same data. */
export type EventStoreHarness = {
  open(): Promise<{ store: EventStore; close(): Promise<void> }>;
  destroy(): Promise<void>;
};

/** The one suite every EventStore adapter must pass. */
export function eventStoreContract(makeHarness: () => Promise<EventStoreHarness>): void {
  let harness: EventStoreHarness;
  let store: EventStore;
  let closeStore: () => Promise<void>;

  beforeEach(async () => {
    harness = await makeHarness();
    ({ store, close: closeStore } = await harness.open());
  });

  afterEach(async () => {
    await closeStore();
    await harness.destroy();
  });

  const stream = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

  it('appends and reads a stream in order, with the full envelope', async () => {
    const s = stream('order');
    const events = [newEvent('A', { n: 1 }, 'prj-1'), newEvent('B', { n: 2 }, 'prj-1'), newEvent('C', { n: 3 }, 'prj-1')];
    const result = await store.append(s, events, 'no_stream');
    expect(result.nextVersion).toBe(3);
    expect(result.positions).toHaveLength(3);
    expect([...result.positions].sort((a, b) => a - b)).toEqual(result.positions);

    const read = await store.readStream(s);
    expect(read.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    expect(read.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(read.map((e) => e.position)).toEqual(result.positions);
    expect(read[0]).toMatchObject({ id: events[0].id, stream: s, schemaVersion: 1, data: { n: 1 } });
    expect(read[0].metadata).toEqual(events[0].metadata);
    expect(await store.readStream(s, 2)).toHaveLength(2);
    expect(await store.readStream(stream('absent'))).toEqual([]);
  });

  it('enforces expected versions', async () => {
    const s = stream('ev');
    await store.append(s, [newEvent()], 'no_stream');
    await expect(store.append(s, [newEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersion);
    await expect(store.append(s, [newEvent()], 0)).rejects.toMatchObject({ actual: 1, expected: 0 });
    await expect(store.append(s, [newEvent()], 5)).rejects.toBeInstanceOf(WrongExpectedVersion);
    expect((await store.append(s, [newEvent()], 1)).nextVersion).toBe(2);
    expect((await store.append(s, [newEvent(), newEvent()], 'any')).nextVersion).toBe(4);
    expect((await store.append(stream('fresh'), [newEvent()], 'any')).nextVersion).toBe(1);
    const versions = (await store.readStream(s)).map((e) => e.version);
    expect(versions).toEqual([1, 2, 3, 4]);
  });

  it('lets exactly one of 50 concurrent appends at the same expected version succeed', async () => {
    const s = stream('race');
    await store.append(s, [newEvent()], 'no_stream');
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => store.append(s, [newEvent('Raced')], 1)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedVersion);
    expect(await store.readStream(s)).toHaveLength(2);
  });

  it('appends a batch of 1,000 events atomically and in order', async () => {
    const s = stream('batch');
    const events = newEvents(1000);
    const result = await store.append(s, events, 'no_stream');
    expect(result.nextVersion).toBe(1000);
    const read = await store.readStream(s);
    expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(read.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
  });

  it('fails only the offending append of a group commit (duplicate event id)', async () => {
    const duplicate = newEvent();
    await store.append(stream('dup'), [duplicate], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append(stream('ok1'), [newEvent()], 'no_stream'),
      store.append(stream('bad'), [duplicate], 'no_stream'),
      store.append(stream('ok2'), [newEvent()], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('pages through the global log with readAll and filters it', async () => {
    const head = await store.headPosition();
    const appended: string[] = [];
    for (let i = 0; i < 5; i++) {
      const events = [newEvent('X', {}, 'prj-a'), newEvent('Y', {}, 'prj-b'), newEvent('X', {}, 'prj-b')];
      await store.append(stream(`page${i}`), events, 'no_stream');
      appended.push(...events.map((e) => e.id));
    }
    const seen: RecordedEvent[] = [];
    let after = head;
    for (;;) {
      const page = await store.readAll(after, 4);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(4);
      seen.push(...page);
      after = page[page.length - 1].position;
    }
    expect(seen.map((e) => e.id)).toEqual(appended);
    for (let i = 1; i < seen.length; i++) expect(seen[i].position).toBeGreaterThan(seen[i - 1].position);
    expect(await store.headPosition()).toBe(seen[seen.length - 1].position);

    expect((await store.readAll(head, 100, { types: ['Y'] })).length).toBe(5);
    expect((await store.readAll(head, 100, { projectId: 'prj-a' })).every((e) => e.metadata.projectId === 'prj-a')).toBe(true);
    expect((await store.readAll(head, 100, { projectId: 'prj-a' })).length).toBe(5);
    const oneStream = seen[0].stream;
    expect((await store.readAll(head, 100, { stream: oneStream })).map((e) => e.stream)).toEqual([oneStream, oneStream, oneStream]);
  });

  it('reads ranges of the log as event cores: position, type, data and time only', async () => {
    const head = await store.headPosition();
    const events = [newEvent('X', { n: 1, nested: { a: [1, 2] } }, 'prj-a'), newEvent('Y', { n: 2 }, 'prj-b'), newEvent('X', { n: 3 }, 'prj-b')];
    await store.append(stream('cores'), events, 'no_stream');
    const recorded = await store.readAll(head, 100);
    const cores = recorded.map((e) => ({ position: e.position, type: e.type, data: e.data, metadata: { at: e.metadata.at } }));

    const [first, second, third] = recorded.map((e) => e.position);

    expect(cores.map((e) => e.type)).toEqual(['X', 'Y', 'X']);
    expect(await store.readCores(head, third, 100)).toEqual(cores);
    expect(await store.readCores(head, second, 100)).toEqual(cores.slice(0, 2));
    expect(await store.readCores(head, third, 1)).toEqual(cores.slice(0, 1));
    expect(await store.readCores(first, third, 100)).toEqual(cores.slice(1));
    expect(await store.readCores(third, third + 10, 100)).toEqual([]);
  });

  it('reads event cores of the selected types only: exact types and prefixes', async () => {
    const head = await store.headPosition();
    const types = ['InstanceA', 'Instance', 'InstanceB', 'Inst', 'instanceC', 'PortBound', 'PortBoundX', 'Other'];
    await store.append(
      stream('typed'),
      types.map((type, n) => newEvent(type, { n })),
      'no_stream',
    );
    const end = await store.headPosition();
    const read = async (selection: EventTypes) => (await store.readCores(head, end, 100, selection)).map((e) => e.type);

    expect(await read({ types: ['PortBound'], prefixes: ['Instance'] })).toEqual(['InstanceA', 'Instance', 'InstanceB', 'PortBound']);
    expect(await read({ types: ['Other', 'Inst'], prefixes: [] })).toEqual(['Inst', 'Other']);
    expect(await read({ types: [], prefixes: ['PortBound', 'Ot'] })).toEqual(['PortBound', 'PortBoundX', 'Other']);
    expect(await read({ types: [], prefixes: [] })).toEqual([]);
    // The selection is what typeSelector says, in both the store and the runner.
    const selection = { types: ['Other'], prefixes: ['Instance'] };
    expect(await read(selection)).toEqual(types.filter(typeSelector(selection)));
  });

  it('delivers every event to a subscriber, in order and without gaps, under concurrent writers', async () => {
    const start = await store.headPosition();
    // Writers on their own connections (as separate processes would be); the subscriber is on
    // another one, so it learns of their events only by reading the log.
    const writers = await Promise.all([harness.open(), harness.open(), harness.open()]);
    const received: RecordedEvent[] = [];
    const subscription = store.subscribe(start, async (batch) => {
      received.push(...batch);
    });
    const ids: string[] = [];
    const perWriter = 60;
    await Promise.all(
      writers.map(async (w, wi) => {
        const pending: Promise<unknown>[] = [];
        for (let i = 0; i < perWriter; i++) {
          const events = i % 5 === 0 ? newEvents(3) : [newEvent()];
          ids.push(...events.map((e) => e.id));
          pending.push(w.store.append(stream(`w${wi}-${i}`), events, 'no_stream'));
          if (i % 7 === 0) await Promise.all(pending.splice(0));
        }
        await Promise.all(pending);
      }),
    );
    await eventually(
      async () => received.length >= ids.length,
      (done) => done,
      'the subscriber to receive every event',
      30_000,
      10,
    );
    await subscription.stop();
    await Promise.all(writers.map((w) => w.close()));

    expect(received).toHaveLength(ids.length);
    for (let i = 1; i < received.length; i++) expect(received[i].position).toBeGreaterThan(received[i - 1].position);
    expect(new Set(received.map((e) => e.id))).toEqual(new Set(ids));
  });

  it('gives every follower the whole log when its own appends interleave with other processes', async () => {
    const start = await store.headPosition();
    const others = await Promise.all([harness.open(), harness.open()]);
    const followers = [start, start, start].map(() => {
      const received: RecordedEvent[] = [];
      return { received, subscription: store.subscribe(start, async (batch) => void received.push(...batch), { batchSize: 7 }) };
    });
    const ids: string[] = [];
    const appendFrom = async (s: EventStore, name: string) => {
      for (let i = 0; i < 40; i++) {
        // Keys out of any sorted order, nested: a follower must get them as a read gives them back.
        const events = i % 4 === 0 ? newEvents(2) : [newEvent('Nested', { zeta: i, a: { yy: [1, { b: 2, aa: 1 }], x: 'é' }, mid: null })];
        ids.push(...events.map((e) => e.id));
        await s.append(stream(`${name}-${i}`), events, 'no_stream');
      }
    };
    // This process's commits would extend the followers' shared tail; the others' land in between.
    await Promise.all([appendFrom(store, 'own-a'), appendFrom(store, 'own-b'), ...others.map((o, i) => appendFrom(o.store, `other-${i}`))]);
    await eventually(
      async () => followers.every((f) => f.received.length >= ids.length),
      (done) => done,
      'every follower to receive every event',
      30_000,
      10,
    );
    await Promise.all(followers.map((f) => f.subscription.stop()));
    await Promise.all(others.map((o) => o.close()));

    const log = await store.readAll(start, 10_000);
    const expected = log.map((e) => e.position);
    expect(expected).toHaveLength(ids.length);
    for (const f of followers) {
      expect(f.received.map((e) => e.position)).toEqual(expected);
      expect(JSON.stringify(f.received)).toBe(JSON.stringify(log)); // same values, same key order
      expect(new Set(f.received.map((e) => e.id))).toEqual(new Set(ids));
    }
  });

  it('resumes a subscription from a checkpoint', async () => {
    const s = stream('resume');
    const first = await store.append(s, newEvents(3), 'no_stream');
    await store.append(s, newEvents(2, 'Later'), 3);
    const received: RecordedEvent[] = [];
    const subscription = store.subscribe(first.positions[2], async (batch) => {
      received.push(...batch.filter((e) => e.stream === s));
    });
    await eventually(
      async () => received.length >= 2,
      (done) => done,
      'catch-up',
      10_000,
      10,
    );
    await store.append(s, [newEvent('Live')], 5);
    await eventually(
      async () => received.length >= 3,
      (done) => done,
      'the live event',
      10_000,
      10,
    );
    await subscription.stop();
    expect(received.map((e) => e.type)).toEqual(['Later', 'Later', 'Live']);
  });

  it('keeps every acknowledged event across a restart', async () => {
    const s = stream('durable');
    const events = newEvents(10);
    await store.append(s, events, 'no_stream');
    await closeStore();
    ({ store, close: closeStore } = await harness.open());
    expect((await store.readStream(s)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    await expect(store.append(s, [newEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersion);
    expect((await store.append(s, [newEvent()], 10)).nextVersion).toBe(11);
  });
}
