// A real SMTP server on loopback (smtp-server) for bulk email tests: keeps every accepted message
// (raw, with its Message-ID), and can be told per recipient to answer 4xx a number of times, 5xx
// always, or to drop the connection in the middle of DATA a number of times.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface AcceptedMail {
  to: string;
  raw: string;
  messageId: string | null;
}

export interface BulkSmtp {
  url: string;
  accepted: AcceptedMail[];
  /** Every DATA that arrived, accepted or not, per recipient. */
  attempts: Map<string, number>;
  /** `address` gets `times` 451 answers, then is accepted. */
  temporary(address: string, times: number): void;
  /** `address` is always refused with 550. */
  permanent(address: string): void;
  /** Refuses the sender `address` at MAIL FROM with 550 5.7.1 (a policy refusal, not the recipient's fault). */
  refuseSender(address: string): void;
  /** The connection is dropped mid-DATA for `address`, `times` times. */
  drop(address: string, times: number): void;
  /** Every answer waits this long (messages in flight for crash tests). */
  delayMs: number;
  close(): Promise<void>;
}

export const headerOf = (raw: string, name: string): string | null => {
  const unfolded = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
};

export async function startBulkSmtp(): Promise<BulkSmtp> {
  const temporary = new Map<string, number>();
  const drops = new Map<string, number>();
  const permanent = new Set<string>();
  const refusedSenders = new Set<string>();
  const state: BulkSmtp = {
    url: '',
    accepted: [],
    attempts: new Map(),
    temporary: (a, n) => void temporary.set(a, n),
    permanent: (a) => void permanent.add(a),
    refuseSender: (a) => void refusedSenders.add(a.toLowerCase()),
    drop: (a, n) => void drops.set(a, n),
    delayMs: 0,
    close: async () => undefined,
  };
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onMailFrom(address, _session, callback) {
      if (refusedSenders.has(address.address.toLowerCase())) {
        return callback(Object.assign(new Error('5.7.1 Sender not allowed'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? '';
      const chunks: Buffer[] = [];
      const dropping = (drops.get(to) ?? 0) > 0;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
      });
      stream.on('end', () => {
        state.attempts.set(to, (state.attempts.get(to) ?? 0) + 1);
        if (dropping) {
          drops.set(to, drops.get(to)! - 1);
          const connections = (
            server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
          ).connections;
          for (const c of connections) if (c.id === session.id) c._socket.destroy();
          return;
        }
        const answer = () => {
          if (permanent.has(to)) {
            return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
          }
          const left = temporary.get(to) ?? 0;
          if (left > 0) {
            temporary.set(to, left - 1);
            return callback(Object.assign(new Error('4.7.1 Try again later'), { responseCode: 451 }));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          state.accepted.push({ to, raw, messageId: headerOf(raw, 'Message-ID') });
          callback();
        };
        if (state.delayMs > 0) setTimeout(answer, state.delayMs);
        else answer();
      });
    },
  });
  // A client killed mid-session resets its connection: expected in crash tests, not an error here.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
