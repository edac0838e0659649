const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * `samples` flavors created one after another on the process at `writer`, each timed from the
 * POST's start to its FlavorCreated event on the SSE stream of the process at `reader` (which
 * hears of the append through PostgreSQL's NOTIFY, or its poll). Milliseconds, p50 and p99.
 */
export async function measureCrossProcessLag(
  writer: string,
  reader: string,
  token: string,
  samples: number,
): Promise<{ p50: number; p99: number; postP50: number }> {
  const headers = { Authorization: `Bearer ${token}` };
  const aborter = new AbortController();
  const stream = await fetch(`${reader}/v1/events/stream?type=FlavorCreated&from=${encodeURIComponent(new Date().toISOString())}`, {
    headers,
    signal: aborter.signal,
  });
  if (!stream.body) throw new Error(`no event stream: ${stream.status}`);
  const arrived = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const name = (JSON.parse(data.slice(6)) as { data: { name: string } }).data.name;
        arrived.set(name, performance.now());
        waiting.get(name)?.();
      }
    }
  })().catch(() => undefined);

  const lags: number[] = [];
  const posts: number[] = [];
  for (let i = 0; i < samples; i++) {
    const name = `lag-${i}`;
    const seen = new Promise<void>((resolve) => waiting.set(name, resolve));
    const started = performance.now();
    const response = await fetch(`${writer}/v1/flavors`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, vcpus: 1, ramMiB: 64, diskGiB: 1 }),
    });
    posts.push(performance.now() - started);
    if (response.status !== 201) throw new Error(`POST /v1/flavors: ${response.status}`);
    await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} never reached the other process's stream`)), 10_000))]);
    lags.push((arrived.get(name) as number) - started);
  }
  aborter.abort();
  await reading;
  lags.sort((a, b) => a - b);
  posts.sort((a, b) => a - b);
  return { p50: percentile(lags, 50), p99: percentile(lags, 99), postP50: percentile(posts, 50) };
}
