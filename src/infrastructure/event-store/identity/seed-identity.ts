import { EventStore } from '../../../application/ports/event-store.port';
import { asNewEvent, isIdentityStream, streamRuns } from './identity-streams';

const BATCH = 1_000;

/**
 * A region that kept its own identity before it shared one becomes the shared identity's first
 * content: while the identity store is still empty, the region's identity streams are appended
 * there in its log order, with their ids and versions (the mirror then finds them already here).
 * Run under a lock of the identity database; a region whose identity differs from a non-empty
 * shared one is stopped by the mirror instead (see IdentityMirror). The number of events seeded.
 */
export async function seedIdentity(local: EventStore, identity: EventStore): Promise<number> {
  if ((await identity.headPosition()) > 0) return 0;
  let after = 0;
  let seeded = 0;
  for (;;) {
    const batch = await local.readAll(after, BATCH);
    if (batch.length === 0) return seeded;
    const shared = batch.filter((e) => isIdentityStream(e.stream));
    for (const run of streamRuns(shared)) await identity.append(run[0].stream, run.map(asNewEvent), run[0].version - 1);
    seeded += shared.length;
    after = batch[batch.length - 1].position;
  }
}
