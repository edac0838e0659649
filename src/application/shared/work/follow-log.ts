import { EventStore, RecordedEvent, Subscription } from '../../ports/event-store.port';
import { ReadModelProgress } from '../../ports/read-model-progress.port';
import { WorkOwnership } from '../../ports/work-ownership.port';
import { ReconcileLoop } from './reconcile-loop';

/** How long a worker lets the steps in flight of keys it gives up finish before it lets them go anyway. */
export const RELEASE_GRACE_MS = 10_000;

/**
 * How a level-triggered worker starts: follow the log from its head, kicking the key of every
 * trigger event, then (once the read models include that head) kick everything left unfinished.
 * Nothing falls between the two: earlier work is in the read models, later work in the log.
 * Shared out among processes (`ownership`), the loop takes only the keys this process owns; when
 * it gains shards it kicks what is unfinished again (the loop keeps those it owns), and before it
 * gives shards up the steps in flight on their keys finish.
 */
export async function followLog(
  store: EventStore,
  progress: ReadModelProgress,
  loop: ReconcileLoop,
  work: { triggers: ReadonlySet<string>; keyOf: (event: RecordedEvent) => string; unfinished: () => Promise<string[]> },
  ownership: WorkOwnership,
  onError: (error: unknown) => void,
): Promise<{ subscription: Subscription; resumed: number; unwatch: () => void }> {
  loop.start();
  const head = await store.headPosition();
  const subscription = store.subscribe(head, async (events) => {
    for (const e of events) if (work.triggers.has(e.type)) loop.kick(work.keyOf(e));
  });
  // Work of shards gained: what a process that left did not finish goes first.
  const resume = async () => {
    await progress.waitFor(await store.headPosition());
    loop.kickFirst(await work.unfinished());
  };
  await progress.waitFor(head);
  const unfinished = await work.unfinished();
  for (const key of unfinished) loop.kick(key);
  let started = false;
  const unwatch = ownership.watch({
    gained: () => {
      if (started) resume().catch(onError);
    },
    releasing: (leaves) => loop.release(leaves, RELEASE_GRACE_MS),
  });
  started = true;
  return { subscription, resumed: unfinished.filter((key) => ownership.owns(key)).length, unwatch };
}
