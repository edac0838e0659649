/** Polls `probe` until `done` holds for its value (a probe that throws counts as not done yet). */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls an asynchronous operation (read by `read`, over REST or gRPC) until it is no longer running. */
export function settled<T extends { status?: string }>(read: () => Promise<T>, operationId: string, timeoutMs?: number, everyMs?: number): Promise<T> {
  return eventually(read, (op) => !!op.status && op.status !== 'running', operationId, timeoutMs, everyMs);
}
