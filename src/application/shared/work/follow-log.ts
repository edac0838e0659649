import { EventStore, RecordedEvent, Subscription } from '../../ports/event-store.port';
import { ReadModelProgress } from '../../ports/read-model-progress.port';
import { ReconcileLoop } from './reconcile-loop';

/**
 * How a level-triggered worker starts: follow the log from its head, kicking the key of every
 * trigger event, then (once the read models include that head) kick everything left unfinished.
 * Nothing falls between the two: earlier work is in the read models, later work in the log.
 */
export async function followLog(
  store: EventStore,
  progress: ReadModelProgress,
  loop: ReconcileLoop,
  work: { triggers: ReadonlySet<string>; keyOf: (event: RecordedEvent) => string; unfinished: () => Promise<string[]> },
): Promise<{ subscription: Subscription; resumed: number }> {
  loop.start();
  const head = await store.headPosition();
  const subscription = store.subscribe(head, async (events) => {
    for (const e of events) if (work.triggers.has(e.type)) loop.kick(work.keyOf(e));
  });
  await progress.waitFor(head);
  const unfinished = await work.unfinished();
  for (const key of unfinished) loop.kick(key);
  return { subscription, resumed: unfinished.length };
}
