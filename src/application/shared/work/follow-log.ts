import { EventStore, RecordedEvent, Subscription } from '../../ports/event-store.port';
import { ReadModelProgress } from '../../ports/read-model-progress.port';
import { KeyedWorkQueue } from '../keyed-work-queue';

/**
 * How a level-triggered worker starts: follow the log from its head, kicking the key of every
 * trigger event, then (once the read models include that head) kick everything left unfinished.
 * Nothing falls between the two: earlier work is in the read models, later work in the log.
 */
export async function followWork(
  store: EventStore,
  progress: ReadModelProgress,
  queue: KeyedWorkQueue,
  work: { triggers: ReadonlySet<string>; keyOf: (event: RecordedEvent) => string; unfinished: () => Promise<string[]> },
): Promise<{ subscription: Subscription; resumed: number }> {
  queue.start();
  const head = await store.headPosition();
  const subscription = store.subscribe(head, async (events) => {
    for (const e of events) if (work.triggers.has(e.type)) queue.kick(work.keyOf(e));
  });
  await progress.waitFor(head);
  const unfinished = await work.unfinished();
  for (const key of unfinished) queue.kick(key);
  return { subscription, resumed: unfinished.length };
}
