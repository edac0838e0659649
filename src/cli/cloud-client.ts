import { CliError, EXIT, exitCodeOfStatus } from './cli-error';

export type RecordedEvent = {
  position: number;
  id: string;
  stream: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { at?: string; principal?: string; requestId?: string | null; projectId?: string | null };
};

/** The REST API of one cloud, with a bearer token; every failure becomes a CliError with its exit code. */
export class CloudClient {
  constructor(
    readonly url: string,
    private readonly token: string | null,
  ) {}

  get<T = unknown>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  patch<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  delete<T = unknown>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** Every item of a paged list (`nextCursor`), up to `max`. */
  async list<T = unknown>(path: string, max = 100_000): Promise<T[]> {
    const items: T[] = [];
    const join = path.includes('?') ? '&' : '?';
    for (let cursor: string | null = null; items.length < max;) {
      const page: { items: T[]; nextCursor: string | null } = await this.get(
        `${path}${join}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return items.slice(0, max);
  }

  /** Opens a request and returns the raw response (the event stream reads its body as it comes). */
  async open(path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const response = await this.send('GET', path, undefined, headers, signal);
    if (!response.ok) throw await this.failure(response);
    return response;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (!response.ok) throw await this.failure(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
      throw new CliError(EXIT.UNAVAILABLE, `cannot reach ${this.url} (${cause})`);
    }
  }

  /** `<code>: <message> (request <id>)`, as the API's error body gives them. */
  private async failure(response: Response): Promise<CliError> {
    const text = await response.text();
    let detail = text.slice(0, 300);
    try {
      const error = (JSON.parse(text) as { error?: { code?: string; message?: string; requestId?: string } }).error;
      if (error) detail = `${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ''}`;
    } catch {
      // not JSON: the text itself is shown
    }
    const hint = response.status === 401 ? '; log in again with `orch login`' : '';
    return new CliError(exitCodeOfStatus(response.status), `${response.status} ${detail}${hint}`);
  }
}
