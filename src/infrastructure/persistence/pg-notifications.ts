import { Client } from 'pg';

/** What is announced between processes: an append committed (payload: the last position), read models that moved (their checkpoint). */
export type Channel = 'orch_log' | 'orch_checkpoint';
const CHANNELS: readonly Channel[] = ['orch_log', 'orch_checkpoint'];
const RECONNECT_MS = 1_000;

type Log = { warnWith(msg: string, fields: Record<string, unknown>): void };

/**
 * PostgreSQL LISTEN on a connection of its own: what other processes committed wakes this one at
 * once, instead of at its next poll. Notifications are only a hint (they are lost while the
 * connection is down, which is why the followers still poll, more slowly); after a reconnect every
 * listener is called once, since anything may have happened meanwhile.
 */
export class PgNotifications {
  private client: Client | null = null;
  private readonly listeners = new Map<Channel, Set<(payload: string) => void>>(CHANNELS.map((c) => [c, new Set()]));
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly log: Log,
  ) {}

  on(channel: Channel, listener: (payload: string) => void): () => void {
    this.listeners.get(channel)?.add(listener);
    return () => this.listeners.get(channel)?.delete(listener);
  }

  async start(): Promise<void> {
    this.closed = false;
    await this.connect().catch((error: unknown) => this.reconnectLater(error));
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'orchestrator listener' });
    client.on('notification', (n) => this.deliver(n.channel as Channel, n.payload ?? ''));
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => undefined);
      this.reconnectLater(error);
    });
    await client.connect();
    for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
    if (this.closed) return void (await client.end());
    this.client = client;
    for (const channel of CHANNELS) this.deliver(channel, '');
  }

  private reconnectLater(error: unknown): void {
    if (this.closed) return;
    this.log.warnWith('notifications: listening failed; polling only until it is back', { error: String(error) });
    this.retry = setTimeout(() => void this.connect().catch((e: unknown) => this.reconnectLater(e)), RECONNECT_MS);
    this.retry.unref();
  }

  private deliver(channel: Channel, payload: string): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }
}
