// A real SMTP server on loopback (smtp-server) for messaging tests: records every accepted message
// with its envelope and headers, and can be told, globally or per recipient, to answer 4xx or 5xx,
// drop the connection in the middle of DATA, or wait before answering.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo, Socket } from 'node:net';

/** How the sink answers a message (after reading DATA, except `drop`). */
export type SinkMode =
  | { mode: 'accept' }
  /** A temporary refusal (RFC 5321 4xx), default 451. */
  | { mode: 'temporary'; code?: number; message?: string }
  /** A permanent refusal, default 550 "user unknown". */
  | { mode: 'permanent'; code?: number; message?: string }
  /** Closes the TCP connection as soon as DATA starts arriving (no reply at all). */
  | { mode: 'drop' }
  /** Accepts, but only after `delayMs`. */
  | { mode: 'slow'; delayMs: number };

export interface SinkMessage {
  /** Envelope sender and recipients (MAIL FROM / RCPT TO). */
  from: string;
  to: string[];
  /** The user the client logged in as (AUTH), or null. */
  user: string | null;
  /** Header names lower-cased; unfolded values. A repeated header keeps its last value. */
  headers: Record<string, string>;
  messageId: string | undefined;
  subject: string | undefined;
  listUnsubscribe: string | undefined;
  listUnsubscribePost: string | undefined;
  /** The whole message as received (headers and body). */
  raw: string;
  size: number;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> (no auth, no TLS). */
  url: string;
  port: number;
  /** Messages accepted, in order of acceptance. */
  messages: SinkMessage[];
  /** Every DATA that arrived, accepted or not. */
  readonly attempts: number;
  /** Sets the mode for every recipient without one of their own (and, with `times`, only for the next n messages). */
  setMode(mode: SinkMode, times?: number): void;
  /** Sets the mode for one recipient address (case-insensitive); `null` clears it. */
  setRecipientMode(address: string, mode: SinkMode | null, times?: number): void;
  /** Refuses every login (535) from now on, or accepts again. */
  rejectAuth(reject: boolean): void;
  /** Back to accepting everything; forgets recorded messages and attempts when `clear` is true. */
  reset(clear?: boolean): void;
  /** Accepted messages for this recipient. */
  to(address: string): SinkMessage[];
  /** Resolves when at least `n` messages were accepted; rejects after `timeoutMs` (default 10 s). */
  waitFor(n: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
}

interface Rule {
  mode: SinkMode;
  /** Remaining uses; Infinity when not limited. */
  left: number;
}

/** Parses the header block of a message (unfolding continuation lines). */
export function parseHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end < 0 ? raw : raw.slice(0, end);
  const headers: Record<string, string> = {};
  let current: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current) {
      headers[current] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    current = line.slice(0, colon).trim().toLowerCase();
    headers[current] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Starts the sink on 127.0.0.1 with a free port. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let global: Rule = { mode: { mode: 'accept' }, left: Infinity };
  const perRecipient = new Map<string, Rule>();
  const state = { attempts: 0, rejectAuth: false };

  const take = (rule: Rule): SinkMode => {
    const mode = rule.mode;
    if (rule.left !== Infinity) rule.left--;
    return mode;
  };
  // The first recipient with a rule of their own decides; else the global rule.
  const modeFor = (to: string[]): SinkMode => {
    for (const address of to) {
      const rule = perRecipient.get(address.toLowerCase());
      if (rule && rule.left > 0) return take(rule);
    }
    if (global.left > 0) return take(global);
    return { mode: 'accept' };
  };

  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 50 * 1024 * 1024,
    // Any user and password are accepted (and the user recorded); `rejectAuth` refuses all.
    onAuth(auth, _session, callback) {
      if (state.rejectAuth) return callback(new Error('Invalid username or password'));
      callback(null, { user: auth.username ?? '' });
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const mode = modeFor(to);
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        if (mode.mode === 'drop' && !dropped) {
          dropped = true;
          state.attempts++;
          socketOf(server, session.id)?.destroy();
        }
      });
      stream.on('end', () => {
        if (dropped) return;
        state.attempts++;
        const reply = () => {
          if (mode.mode === 'temporary' || mode.mode === 'permanent') {
            const code = mode.code ?? (mode.mode === 'temporary' ? 451 : 550);
            const text =
              mode.message ??
              (mode.mode === 'temporary' ? 'Requested action aborted: try again later' : 'User unknown');
            return callback(Object.assign(new Error(text), { responseCode: code }));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const headers = parseHeaders(raw);
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            user: typeof session.user === 'string' ? session.user : null,
            headers,
            messageId: headers['message-id'],
            subject: headers.subject,
            listUnsubscribe: headers['list-unsubscribe'],
            listUnsubscribePost: headers['list-unsubscribe-post'],
            raw,
            size: Buffer.concat(chunks).length,
          });
          for (const w of waiters.splice(0)) {
            if (messages.length >= w.n) w.resolve();
            else waiters.push(w);
          }
          callback(null, 'Ok: queued');
        };
        if (mode.mode === 'slow') setTimeout(reply, mode.delayMs);
        else reply();
      });
    },
  });
  // A client that vanished mid-session is no error of the sink.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get attempts() {
      return state.attempts;
    },
    setMode(mode, times) {
      global = { mode, left: times ?? Infinity };
    },
    setRecipientMode(address, mode, times) {
      if (mode) perRecipient.set(address.toLowerCase(), { mode, left: times ?? Infinity });
      else perRecipient.delete(address.toLowerCase());
    },
    rejectAuth(reject) {
      state.rejectAuth = reject;
    },
    reset(clear = false) {
      state.rejectAuth = false;
      global = { mode: { mode: 'accept' }, left: Infinity };
      perRecipient.clear();
      if (clear) {
        messages.length = 0;
        state.attempts = 0;
      }
    },
    to: (address) => messages.filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase())),
    waitFor(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve(messages.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`SMTP sink: ${messages.length} of ${n} messages arrived`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages.slice());
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Pooled clients keep their connections open: cut them instead of waiting 30 s.
        for (const c of connectionsOf(server)) c._socket?.destroy();
        server.close(() => resolve());
      }),
  };
}

interface SinkConnection {
  id: string;
  _socket?: Socket;
}

function connectionsOf(server: SMTPServer): SinkConnection[] {
  return [...((server as unknown as { connections: Set<SinkConnection> }).connections ?? [])];
}

function socketOf(server: SMTPServer, sessionId: string): Socket | undefined {
  return connectionsOf(server).find((c) => c.id === sessionId)?._socket;
}
