import pg from 'pg';

type Handler = (payload: string) => void;

/** The payload every handler gets after the connection was re-established. */
export const RECONNECTED = '{"reconnected":true}';

/**
 * One dedicated connection per process for LISTEN, shared by all channels.
 * Reconnects with backoff after a drop and re-issues every LISTEN; consumers that must not miss
 * messages (SSE streams) re-read from their own cursor after a reconnect.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private closed = false;
  private connectedBefore = false;

  constructor(private readonly url: string) {}

  async listen(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    const client = await this.connect();
    if (first) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(channel) === set) {
        this.handlers.delete(channel);
        await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
      }
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url, application_name: 'herald-listen' });
      client.on('notification', (msg) => {
        for (const h of this.handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      client.on('error', () => this.reconnectSoon());
      client.on('end', () => this.reconnectSoon());
      await client.connect();
      for (const channel of this.handlers.keys())
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      this.client = client;
      this.connecting = undefined;
      // Messages sent while the connection was down are gone: tell every handler to re-read.
      if (this.connectedBefore) {
        for (const set of this.handlers.values()) for (const h of set) h(RECONNECTED);
      }
      this.connectedBefore = true;
      return client;
    })();
    return this.connecting;
  }

  private reconnectSoon(delayMs = 1000): void {
    if (this.closed) return;
    this.client = undefined;
    this.connecting = undefined;
    setTimeout(() => {
      if (this.closed || this.handlers.size === 0) return;
      this.connect().catch(() => this.reconnectSoon(Math.min(delayMs * 2, 30_000)));
    }, delayMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
