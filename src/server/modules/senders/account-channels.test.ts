// The channel resolver on the real database, with the real SMTP sink and SMS stub: which channel
// an account gets, pooling per server, and settings changes taking effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { createTenant } from '../../../../test/helpers/tenants.ts';
import { startSmtpSink, type SmtpSink } from '../../../../test/helpers/smtp-sink.ts';
import { startSmsStub, type SmsStub } from '../../../../test/helpers/sms-provider-stub.ts';
import { asAccountId } from '../../db/tenant.ts';
import { SecretBox } from '../../security/secret-box.ts';
import { AccountChannels } from './account-channels.ts';
import { saveSettings, type SettingsRow } from './senders.repo.ts';

let db: TestDatabase;
let sink: SmtpSink;
let platformSink: SmtpSink;
let stub: SmsStub;
const secrets = new SecretBox('test-secret-0123456789-0123456789');
beforeAll(async () => {
  [db, sink, platformSink, stub] = await Promise.all([
    createTestDatabase(),
    startSmtpSink(),
    startSmtpSink(),
    startSmsStub(),
  ]);
});
afterAll(async () => {
  await Promise.all([sink.close(), platformSink.close(), stub.close()]);
  await db.dispose();
});

const empty: Omit<SettingsRow, 'updatedAt' | 'webhookToken'> = {
  smtpUrlSealed: null,
  emailRate: null,
  smsProvider: null,
  smsBaseUrl: null,
  smsCredentialsSealed: null,
  smsFrom: null,
  smsRate: null,
  webhookSecretSealed: null,
};

async function account(settings: Partial<SettingsRow> | null): Promise<number> {
  const tenant = await createTenant(db.database.db);
  const id = Number(tenant.subId);
  if (settings)
    await saveSettings(
      db.database.db,
      asAccountId(id),
      { ...empty, webhookToken: `tok-${id}`, ...settings },
      null,
    );
  return id;
}

const mail = (to: string) => ({
  from: { name: 'Laden', address: 'news@laden.example' },
  to,
  subject: 'Hallo',
  html: '<p>Hallo</p>',
  text: 'Hallo',
  messageId: `<${to}@herald.test>`,
  headers: {},
});

describe('AccountChannels', () => {
  it('no settings and no SMTP_URL: the outbox; no SMS', async () => {
    const channels = new AccountChannels(db.database.db, secrets, {
      smtpUrl: undefined,
      emailRate: null,
      smsRate: 10,
    });
    const id = await account(null);
    expect((await channels.email(id)).kind).toBe('outbox');
    expect(await channels.sms(id)).toBeNull();
    channels.close();
  });

  it('own SMTP server, else the platform’s; one pool per server shared by accounts', async () => {
    const channels = new AccountChannels(db.database.db, secrets, {
      smtpUrl: platformSink.url,
      emailRate: null,
      smsRate: 10,
    });
    const own1 = await account({ smtpUrlSealed: secrets.seal(sink.url) });
    const own2 = await account({ smtpUrlSealed: secrets.seal(sink.url) });
    const platform = await account(null);
    const a = await channels.email(own1);
    const b = await channels.email(own2);
    const c = await channels.email(platform);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    await a.send(mail('own@kunde.example'));
    await c.send(mail('platform@kunde.example'));
    expect(sink.to('own@kunde.example')).toHaveLength(1);
    expect(platformSink.to('platform@kunde.example')).toHaveLength(1);
    expect(sink.to('platform@kunde.example')).toHaveLength(0);
    channels.close();
  });

  it('a settings change applies after invalidate (or the short cache time)', async () => {
    const channels = new AccountChannels(db.database.db, secrets, {
      smtpUrl: undefined,
      emailRate: null,
      smsRate: 10,
      ttlMs: 60_000,
    });
    const id = await account(null);
    expect((await channels.email(id)).kind).toBe('outbox');
    await saveSettings(
      db.database.db,
      asAccountId(id),
      { ...empty, webhookToken: `tok-${id}`, smtpUrlSealed: secrets.seal(sink.url) },
      null,
    );
    expect((await channels.email(id)).kind).toBe('outbox'); // cached
    channels.invalidate(id);
    expect((await channels.email(id)).kind).toBe('smtp');
    const short = new AccountChannels(db.database.db, secrets, {
      smtpUrl: undefined,
      emailRate: null,
      smsRate: 10,
      ttlMs: 0,
    });
    expect((await short.email(id)).kind).toBe('smtp');
    channels.close();
    short.close();
  });

  it('SMS: Twilio and Vonage settings give working channels against the stub', async () => {
    const channels = new AccountChannels(db.database.db, secrets, {
      smtpUrl: undefined,
      emailRate: null,
      smsRate: 10,
    });
    const twilio = await account({
      smsProvider: 'twilio',
      smsBaseUrl: stub.url,
      smsFrom: '+4915100000000',
      smsCredentialsSealed: secrets.seal(JSON.stringify(stub.twilio)),
    });
    const vonage = await account({
      smsProvider: 'vonage',
      smsBaseUrl: stub.url,
      smsFrom: 'Laden',
      smsCredentialsSealed: secrets.seal(JSON.stringify(stub.vonage)),
    });
    const t = await channels.sms(twilio);
    const v = await channels.sms(vonage);
    expect(t?.provider).toBe('twilio');
    expect(v?.provider).toBe('vonage');
    await t!.send({ to: '+4915111111111', from: '', body: 'Hallo' });
    await v!.send({ to: '+4915122222222', from: '', body: 'Hallo' });
    expect(stub.accepted().map((r) => [r.provider, r.to, r.authorized])).toEqual([
      ['twilio', '4915111111111', true],
      ['vonage', '4915122222222', true],
    ]);
    channels.close();
  });

  it('acquire: unlimited never touches a bucket; a rate uses the shared one', async () => {
    const channels = new AccountChannels(db.database.db, secrets, {
      smtpUrl: undefined,
      emailRate: null,
      smsRate: 1,
    });
    await channels.acquire('outbox');
    await channels.acquire('smtp:nowhere:25:');
    // SMS at 1/s: the first is the burst, the second waits; an abort ends the wait.
    await channels.acquire('sms:twilio:AC1:+49');
    const controller = new AbortController();
    const waiting = channels.acquire('sms:twilio:AC1:+49', controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(waiting).rejects.toThrow('stop');
    channels.close();
  });
});
