import { Api, listAll } from '../support/cluster-cloud';

const BATCH = 400; // the soak's cloud holds 800 tiny instances and 500 addresses

/**
 * Brings the server's bounded in-memory state to its steady size before the soak is measured:
 * `count` instances launched (BATCH per request) until active, then deleted, as the soak's own loops
 * do, so that the command executor's cache of folded streams (STATE_CACHE_STREAMS, 20,000; each
 * instance touches about four streams) is as full as it stays. Without it a 10-minute soak at 120
 * requests/s is still filling that cache at its end: growth with a bound, not a leak.
 */
export async function warmUp(admin: Api, count: number): Promise<void> {
  for (let launched = 0; launched < count; launched += BATCH) {
    const n = Math.min(BATCH, count - launched);
    const accepted = await admin.post('/v1/instances', {
      name: 'warm',
      flavor: 'tiny',
      image: 'img',
      networks: [{ network: 'net' }],
      minCount: n,
      maxCount: n,
    });
    if (accepted.status !== 202) throw new Error(`warm-up launch refused: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    for (;;) {
      const op = (await admin.get(`/v1/operations/${accepted.body.operation.id}`)).body;
      if (op.status === 'succeeded') break;
      if (op.status !== 'running') throw new Error(`warm-up launch ended ${op.status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await deleteAll(admin);
  }
}

/** Deletes every instance (8 at a time, waiting out any rate limit) and waits until they are gone. */
async function deleteAll(admin: Api): Promise<void> {
  const ids = (await listAll(admin, '/v1/instances')).map((i) => i.id);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        for (;;) {
          const answer = await admin.delete(`/v1/instances/${id}`);
          if (answer.status === 202) break;
          if (answer.status !== 429) throw new Error(`warm-up delete: ${answer.status} ${JSON.stringify(answer.body)}`);
          await new Promise((r) => setTimeout(r, 1_000 * Number(answer.headers['retry-after'] ?? 1)));
        }
      }
    }),
  );
  while ((await listAll(admin, '/v1/instances')).length > 0) await new Promise((r) => setTimeout(r, 500));
}
