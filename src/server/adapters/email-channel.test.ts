// smtpChannel against the real loopback SMTP sink: accepted, 4xx, 5xx, a dropped connection, slow.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp-sink.ts';
import { outboxChannel, smtpChannel, type BulkEmail, type EmailChannel } from './email-channel.ts';
import { EmailSendError } from './email-transport.ts';

let sink: SmtpSink;
let channel: EmailChannel;
beforeAll(async () => {
  sink = await startSmtpSink();
  channel = smtpChannel(sink.url, { maxConnections: 2 });
});
afterAll(async () => {
  channel.close();
  await sink.close();
});
beforeEach(() => sink.reset(true));

const email = (to: string, n = 1): BulkEmail => ({
  from: { name: 'Laden Müller', address: 'news@laden.example' },
  replyTo: 'hilfe@laden.example',
  to,
  subject: `Angebot ${n}`,
  html: `<p>Hallo ${n}</p>`,
  text: `Hallo ${n}`,
  messageId: `<a7.c${n}@herald.example>`,
  headers: {
    'List-Unsubscribe': `<https://herald.example/u/${n}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
});

async function failure(e: BulkEmail): Promise<EmailSendError> {
  const err: unknown = await channel.send(e).then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(err instanceof EmailSendError)) throw new Error(`expected EmailSendError, got ${String(err)}`);
  return err;
}

describe('smtpChannel against the SMTP sink', () => {
  it('accepts: the sink records envelope, Message-ID and the bulk headers', async () => {
    const accepted = await channel.send(email('anna@kunde.example', 1));
    expect(accepted.messageId).toBe('<a7.c1@herald.example>');
    expect(accepted.response).toMatch(/^250/);
    const [got] = await sink.waitFor(1);
    expect(got).toMatchObject({
      from: 'news@laden.example',
      to: ['anna@kunde.example'],
      messageId: '<a7.c1@herald.example>',
      subject: 'Angebot 1',
      listUnsubscribe: '<https://herald.example/u/1>',
      listUnsubscribePost: 'List-Unsubscribe=One-Click',
    });
    expect(got!.headers['reply-to']).toBe('hilfe@laden.example');
    expect(got!.size).toBeGreaterThan(100);
    expect(channel.key).toBe(`smtp:127.0.0.1:${sink.port}:`);
  });

  it('451 → temporary with responseCode 451, nothing recorded', async () => {
    sink.setMode({ mode: 'temporary' }, 1);
    const err = await failure(email('bert@kunde.example'));
    expect(err).toMatchObject({ temporary: true, responseCode: 451 });
    expect(sink.messages).toHaveLength(0);
    // One time only: the next try goes through.
    await channel.send(email('bert@kunde.example'));
    expect(sink.to('bert@kunde.example')).toHaveLength(1);
  });

  it('550 for one recipient → permanent with 550; others unaffected', async () => {
    sink.setRecipientMode('gone@kunde.example', { mode: 'permanent' });
    const err = await failure(email('gone@kunde.example'));
    expect(err).toMatchObject({ temporary: false, responseCode: 550 });
    expect(err.message).toContain('User unknown');
    await channel.send(email('here@kunde.example'));
    expect(sink.messages.map((m) => m.to[0])).toEqual(['here@kunde.example']);
  });

  it('connection dropped mid-DATA → temporary without a reply code', async () => {
    sink.setMode({ mode: 'drop' }, 1);
    const err = await failure(email('carl@kunde.example'));
    expect(err.temporary).toBe(true);
    expect(err.responseCode).toBeUndefined();
    expect(sink.messages).toHaveLength(0);
    expect(sink.attempts).toBe(1);
    // The pool recovers with a new connection.
    await channel.send(email('carl@kunde.example'));
    expect(sink.to('carl@kunde.example')).toHaveLength(1);
  });

  it('slow server: the send waits for the answer and succeeds', async () => {
    sink.setMode({ mode: 'slow', delayMs: 300 });
    let done = false;
    const sending = channel.send(email('dora@kunde.example')).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(false);
    await sending;
    expect(sink.to('dora@kunde.example')).toHaveLength(1);
  });

  it('many messages through the pool: waitFor sees them all', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => channel.send(email(`p${i}@kunde.example`, i))));
    const got = await sink.waitFor(20);
    expect(new Set(got.map((m) => m.messageId)).size).toBe(20);
  });

  it('the outbox channel keeps nothing outside and answers at once', async () => {
    const outbox = outboxChannel();
    await expect(outbox.send(email('x@kunde.example'))).resolves.toMatchObject({ response: 'outboxed' });
    expect(sink.messages).toHaveLength(0);
  });
});
