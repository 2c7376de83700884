// The mailings bench's mail side: a loopback SMTP server that discards what it accepts and refuses
// one in ten of the audience by policy (554 5.7.1 after DATA: the message fails, the address is not
// marked, so a re-send with "also the failed" may try it again), and the bare nodemailer baseline
// sending the same rendered messages to it.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { compileEmail, renderEmail } from '../src/server/modules/templates/email-compose.ts';
import { indexOf, refused } from './mailings-audience.ts';
import { progress } from './lib.ts';

/** Parallel SMTP sessions of Herald's pooled channel (adapters/email-channel.ts default) and of the baseline. */
const SMTP_CONNECTIONS = 5;
const MB = 1024 * 1024;

/** The sink's counts: accepted and refused messages since it started. */
export interface PolicySmtp {
  port: number;
  accepted(): number;
  refused(): number;
  close(): Promise<void>;
}

/** Starts the sink on 127.0.0.1 (a free port); it refuses the addresses `refused(g)` names. */
export async function startPolicySmtp(): Promise<PolicySmtp> {
  let accepted = 0;
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 50 * MB,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo[0]?.address ?? '';
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const g = indexOf(to);
        if (g !== null && refused(g)) {
          refusals++;
          return callback(
            Object.assign(new Error('5.7.1 Message refused by local policy'), { responseCode: 554 }),
          );
        }
        accepted++;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    accepted: () => accepted,
    refused: () => refusals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A recipient of the baseline: the address and the merge values Herald reads from the contact. */
export interface BareRecipient {
  to: string;
  values: Record<string, string>;
}

/**
 * Bare nodemailer: `recipients` rendered from `content` up front (not timed), then sent all at once
 * over a pool of SMTP_CONNECTIONS sessions; refusals are counted, not retried. Returns msg/s
 * (accepted and refused alike, as Herald's rate counts every attempted message).
 */
export async function bareNodemailer(
  port: number,
  content: { subject: string; html: string },
  recipients: BareRecipient[],
): Promise<number> {
  const compiled = compileEmail(content);
  const messages = recipients.map((r, i) => ({ i, to: r.to, ...renderEmail(compiled, r.values) }));
  const transporter = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Infinity,
  });
  let failed = 0;
  const start = performance.now();
  await Promise.all(
    messages.map((m) =>
      transporter
        .sendMail({
          from: { name: 'Bäckerei Bench', address: 'news@bench.example' },
          to: m.to,
          subject: m.subject,
          html: m.html,
          text: m.text,
          messageId: `<baseline.${m.i}@bench.example>`,
          headers: { 'List-Unsubscribe': `<https://herald.example/u/token-${m.i}>` },
        })
        .catch(() => {
          failed++;
        }),
    ),
  );
  const ms = performance.now() - start;
  transporter.close();
  progress(`  bare nodemailer: ${messages.length} messages (${failed} refused) in ${Math.round(ms)} ms`);
  return messages.length / (ms / 1000);
}
