import { RecordedEvent } from '../../../application/ports/event-store.port';
import { LogTail } from './log-tail';

const event = (position: number): RecordedEvent =>
  ({ position, id: `e${position}`, stream: 's', version: position, type: 'T', schemaVersion: 1, data: {}, metadata: {} }) as unknown as RecordedEvent;

/** A database whose reads answer only when told to, holding `committed` events. */
function slowDatabase() {
  let committed = 0;
  const pending: Array<() => void> = [];
  const readAll = (after: number, limit: number) =>
    new Promise<RecordedEvent[]>((resolve) => {
      const visible = committed; // the read's snapshot is taken when it starts
      pending.push(() => resolve(Array.from({ length: Math.max(0, Math.min(limit, visible - after)) }, (_, i) => event(after + i + 1))));
    });
  return {
    readAll,
    commit: () => ++committed,
    answer: async () => {
      while (pending.length > 0) pending.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('LogTail', () => {
  it('answers a follower at the head with a commit announced while a read was in flight', async () => {
    const db = slowDatabase();
    const tail = new LogTail(db.readAll);
    db.commit();
    const first = tail.read(0, 10);
    await db.answer();
    expect((await first).map((e) => e.position)).toEqual([1]);

    // Another follower's read starts, then a commit is announced while it runs; this follower
    // looks only then (woken by the announcement) and must not be sent back to sleep empty-handed.
    tail.markStale();
    const other = tail.read(1, 10);
    tail.noteCommitted(db.commit());
    const woken = tail.read(1, 10);
    for (let i = 0; i < 3; i++) await db.answer();
    expect((await other).map((e) => e.position)).toEqual([2]);
    expect((await woken).map((e) => e.position)).toEqual([2]);
  });
});
