import { CloudClient, RecordedEvent } from './cloud-client';
import { takeServerSentData } from './shared/event-stream-messages';

export type FollowOptions = { after: number; stream?: string; types?: string[] };

/**
 * Follows the log over Server-Sent Events (`/v1/events/stream`) and hands each event to `onEvent`
 * until it returns `'stop'` or `signal` aborts. A dropped connection is resumed from the last
 * position seen (`Last-Event-ID`), so no event is missed or shown twice.
 */
export async function followEvents(
  client: CloudClient,
  options: FollowOptions,
  onEvent: (event: RecordedEvent) => 'stop' | void,
  signal?: AbortSignal,
): Promise<void> {
  let last = options.after;
  const query = new URLSearchParams({ after: String(options.after) });
  if (options.stream) query.set('stream', options.stream);
  if (options.types?.length) query.set('type', options.types.join(','));
  for (let reconnects = 0; ; reconnects++) {
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort);
    try {
      const response = await client.open(
        `/v1/events/stream?${query.toString()}`,
        { Accept: 'text/event-stream', 'Last-Event-ID': String(last) },
        controller.signal,
      );
      for await (const event of serverSentEvents(response)) {
        last = event.position;
        if (onEvent(event) === 'stop') return;
      }
    } catch (error) {
      if (signal?.aborted) return;
      if ((error as Error).name !== 'AbortError' && reconnects > 20) throw error;
    } finally {
      controller.abort();
      signal?.removeEventListener('abort', abort);
    }
    if (signal?.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(reconnects, 5))));
  }
}

/** The `data:` of each SSE message of a response body, parsed. */
async function* serverSentEvents(response: Response): AsyncGenerator<RecordedEvent> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const taken = takeServerSentData(buffer + decoder.decode(value, { stream: true }));
    buffer = taken.rest;
    for (const data of taken.data) yield JSON.parse(data) as RecordedEvent;
  }
}
