import { takeServerSentData } from '../../src/cli/shared/event-stream-messages';

/** The orchestrator's REST API, with the token kept for the browser tab (sessionStorage). */
export type RecordedEvent = { position: number; type: string; stream: string; data: Record<string, unknown>; metadata: { at: string; principal: string } };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN = 'orch.token';
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN);
  },
  set(token: string | null): void {
    if (token) sessionStorage.setItem(TOKEN, token);
    else sessionStorage.removeItem(TOKEN);
  },
};

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...(session.token ? { Authorization: `Bearer ${session.token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401) session.set(null);
    throw new ApiError(response.status, error?.code ?? String(response.status), error?.message ?? response.statusText);
  }
  return parsed as T;
}

export const get = <T>(path: string) => call<T>('GET', path);

/** Every item of a paged list. */
export async function list<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes('?') ? '&' : '?';
  for (let cursor: string | null = null; ;) {
    const page: { items: T[]; nextCursor: string | null } = await get(`${path}${join}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}

/**
 * Follows the event stream (Server-Sent Events over fetch, since EventSource cannot send the
 * token) from `after`, until `signal` aborts; reconnects from the last position seen.
 */
export async function follow(after: number, onEvents: (events: RecordedEvent[]) => void, signal: AbortSignal): Promise<void> {
  let last = after;
  while (!signal.aborted) {
    try {
      const response = await fetch(`/v1/events/stream?after=${last}`, {
        headers: { Authorization: `Bearer ${session.token}`, 'Last-Event-ID': String(last) },
        signal,
      });
      if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const taken = takeServerSentData(buffer + decoder.decode(value, { stream: true }));
        buffer = taken.rest;
        const batch = taken.data.map((data) => JSON.parse(data) as RecordedEvent);
        if (batch.length > 0) {
          last = batch[batch.length - 1].position;
          onEvents(batch);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
