// Sender settings through the real HTTP app on both engines: secrets are sealed at rest and never
// in an answer or a log line, tenancy and rights, validation, sender profiles, and test messages
// against the real SMTP sink and SMS provider stub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startSmtpSink, type SmtpSink } from '../../../../test/helpers/smtp-sink.ts';
import { startSmsStub, type SmsStub } from '../../../../test/helpers/sms-provider-stub.ts';
import { buildApp } from '../../app.ts';
import { rows } from '../../db/types.ts';
import type { MessagingSettings, SenderProfile, TestSendResult } from '../../../shared/senders.ts';

const SMTP_PASSWORD = 'smtp-pass-Geheim-4711';

describe(`sender settings (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let other: Tenant;
  let owner: Client;
  let marketer: Client;
  let analyst: Client;
  let otherOwner: Client;
  let sink: SmtpSink;
  let stub: SmsStub;
  let logged: string[];
  let loggingApp: FastifyInstance;
  let loggingOwner: Client;
  const url = (p: string, t = tenant) => `/api/accounts/${t.subId}${p}`;

  beforeAll(async () => {
    h = await createHarness();
    [tenant, other] = await Promise.all([createTenant(h.db.database.db), createTenant(h.db.database.db)]);
    [owner, marketer, analyst, otherOwner] = await Promise.all([
      login(h.app, tenant.users.owner, TEST_PASSWORD),
      login(h.app, tenant.users.marketer, TEST_PASSWORD),
      login(h.app, tenant.users.analyst, TEST_PASSWORD),
      login(h.app, other.users.owner, TEST_PASSWORD),
    ]);
    [sink, stub] = await Promise.all([startSmtpSink(), startSmsStub()]);
    // The same services behind an app that logs everything (trace), to look for secrets in it.
    logged = [];
    loggingApp = await buildApp({
      config: { ...h.config, logLevel: 'trace' },
      database: h.db.database,
      services: h.services,
      web: false,
      logger: true,
      logSink: { write: (line) => logged.push(line) },
    });
    await loggingApp.ready();
    loggingOwner = await login(loggingApp, tenant.users.owner, TEST_PASSWORD);
  });
  afterAll(async () => {
    await loggingApp?.close();
    await Promise.all([sink?.close(), stub?.close()]);
    await h?.close();
  });

  const smtpBody = (port = sink.port, password: string | undefined = SMTP_PASSWORD) => ({
    smtp: {
      host: '127.0.0.1',
      port,
      secure: false,
      user: 'mailer',
      ...(password === undefined ? {} : { password }),
    },
  });

  it('before any save: no SMTP (fallback: outbox), no SMS, no webhook token', async () => {
    const res = await owner.request('GET', url('/messaging-settings'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<MessagingSettings>()).toMatchObject({
      smtp: { configured: false, fallback: 'outbox' },
      sms: null,
      webhookToken: null,
      hooks: null,
      effectiveSmsRate: 10,
      effectiveEmailRate: null,
    });
  });

  it('SMTP and SMS credentials: sealed at rest, never answered, never logged; kept when not resent', async () => {
    const res = await loggingOwner.request('PATCH', url('/messaging-settings'), {
      ...smtpBody(),
      emailRate: 50,
      sms: {
        provider: 'twilio',
        baseUrl: stub.url,
        from: '+4915100000000',
        credentials: { accountSid: stub.twilio.accountSid, authToken: stub.twilio.authToken },
      },
      smsRate: 5,
    });
    expect(res.statusCode, res.body).toBe(200);
    const settings = res.json<MessagingSettings>();
    expect(settings.smtp).toEqual({
      configured: true,
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'mailer',
      hasPassword: true,
    });
    expect(settings.sms).toMatchObject({ provider: 'twilio', from: '+4915100000000', configured: true });
    expect(settings.sms?.accountId).not.toBe(stub.twilio.accountSid);
    expect(settings.sms?.accountId).toMatch(/^AC.{2}…/);
    expect(settings).toMatchObject({
      emailRate: 50,
      effectiveEmailRate: 50,
      smsRate: 5,
      effectiveSmsRate: 5,
    });
    const token = settings.webhookToken!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(settings.hooks).toEqual({
      emailEvents: `${h.config.publicUrl}/api/hooks/${token}/email/events`,
      bounces: `${h.config.publicUrl}/api/hooks/${token}/bounces`,
      smsStatus: `${h.config.publicUrl}/api/hooks/${token}/sms/twilio/status`,
      smsInbound: `${h.config.publicUrl}/api/hooks/${token}/sms/twilio/inbound`,
    });

    // At rest: sealed, not readable.
    const [row] = await rows<Record<string, string>>(
      h.db.database.db,
      sql`SELECT smtp_url_sealed, sms_credentials_sealed FROM messaging_settings WHERE account_id = ${Number(tenant.subId)}`,
    );
    expect(JSON.stringify(row)).not.toContain(SMTP_PASSWORD);
    expect(JSON.stringify(row)).not.toContain(stub.twilio.authToken);
    expect(row?.smtp_url_sealed).toMatch(/^v1\./);
    expect(h.services.secrets.open(row!.smtp_url_sealed!)).toContain(SMTP_PASSWORD);

    // Change the sender number only: the token stays (the test SMS below proves it still works).
    const again = await loggingOwner.request('PATCH', url('/messaging-settings'), {
      ...smtpBody(sink.port, undefined),
      sms: {
        provider: 'twilio',
        baseUrl: stub.url,
        from: '+4915100000001',
        credentials: { accountSid: stub.twilio.accountSid },
      },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<MessagingSettings>().smtp).toMatchObject({ hasPassword: true });
    expect(again.json<MessagingSettings>().webhookToken).toBe(token);
    const opened = h.services.secrets.open(
      (
        await rows<{ s: string }>(
          h.db.database.db,
          sql`SELECT sms_credentials_sealed AS s FROM messaging_settings WHERE account_id = ${Number(tenant.subId)}`,
        )
      )[0]!.s,
    );
    expect(JSON.parse(opened)).toEqual(stub.twilio);

    // A stored secret never follows the settings to another server or provider account: pointing
    // them elsewhere without entering it again is refused, and nothing changes.
    const elsewhere = [
      { smtp: { host: '127.0.0.1', port: sink.port + 1, secure: false, user: 'mailer' } },
      { smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: 'someone-else' } },
      { smtp: { host: 'mail.example.org', port: sink.port, secure: false, user: 'mailer' } },
      {
        sms: {
          provider: 'twilio',
          baseUrl: 'http://127.0.0.1:9/',
          from: '+4915100000001',
          credentials: { accountSid: stub.twilio.accountSid },
        },
      },
      {
        sms: {
          provider: 'twilio',
          baseUrl: stub.url,
          from: '+4915100000001',
          credentials: { accountSid: 'ACsomeoneelse' },
        },
      },
    ];
    for (const body of elsewhere) {
      const refused = await owner.request('PATCH', url('/messaging-settings'), body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect(
      JSON.parse(
        h.services.secrets.open(
          (
            await rows<{ s: string }>(
              h.db.database.db,
              sql`SELECT sms_credentials_sealed AS s FROM messaging_settings WHERE account_id = ${Number(tenant.subId)}`,
            )
          )[0]!.s,
        ),
      ),
    ).toEqual(stub.twilio);

    for (const reader of [owner, marketer]) {
      const got = await reader.request('GET', url('/messaging-settings'));
      expect(got.statusCode).toBe(200);
      expect(got.body).not.toContain(SMTP_PASSWORD);
      expect(got.body).not.toContain(stub.twilio.authToken);
      expect(got.body).not.toContain(stub.twilio.accountSid);
    }
    // A reader without settings.manage does not learn the webhook token.
    const asMarketer = (await marketer.request('GET', url('/messaging-settings'))).json<MessagingSettings>();
    expect(asMarketer.webhookToken).toBeNull();
    expect(asMarketer.hooks).toBeNull();
    expect(asMarketer.sms?.provider).toBe('twilio');

    const log = logged.join('\n');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(SMTP_PASSWORD);
    expect(log).not.toContain(stub.twilio.authToken);
  });

  it('a new provider needs its secret; Vonage keeps its secrets when only the key is resent', async () => {
    const missing = await owner.request('PATCH', url('/messaging-settings'), {
      sms: {
        provider: 'vonage',
        baseUrl: stub.url,
        from: 'Laden',
        credentials: { apiKey: stub.vonage.apiKey },
      },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(missing.json().error.details)).toContain('apiSecret');

    const set = await owner.request('PATCH', url('/messaging-settings', other), {});
    expect(set.statusCode).toBe(404); // owner of tenant A in tenant B

    const vonage = await otherOwner.request('PATCH', url('/messaging-settings', other), {
      sms: { provider: 'vonage', baseUrl: stub.url, from: 'Laden', credentials: stub.vonage },
    });
    expect(vonage.statusCode, vonage.body).toBe(200);
    expect(vonage.json<MessagingSettings>().sms).toMatchObject({
      provider: 'vonage',
      hasSignatureSecret: true,
    });
    expect(vonage.body).not.toContain(stub.vonage.apiSecret);
    expect(vonage.body).not.toContain(stub.vonage.signatureSecret);
    const kept = await otherOwner.request('PATCH', url('/messaging-settings', other), {
      sms: {
        provider: 'vonage',
        baseUrl: stub.url,
        from: 'Laden2',
        credentials: { apiKey: stub.vonage.apiKey },
      },
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json<MessagingSettings>().sms).toMatchObject({ from: 'Laden2', hasSignatureSecret: true });
    expect(kept.json<MessagingSettings>().hooks?.smsStatus).toMatch(/\/sms\/vonage\/status$/);
    const test = await otherOwner.request('POST', url('/messaging-settings/test-sms', other), {
      to: '0151 2345678',
    });
    expect(test.json<TestSendResult>()).toMatchObject({ ok: true });
    expect(stub.accepted().at(-1)).toMatchObject({
      provider: 'vonage',
      to: '491512345678',
      authorized: true,
    });
  });

  it('webhook secret: generated on request and shown only then', async () => {
    const res = await owner.request('POST', url('/messaging-settings/webhook-secret'));
    expect(res.statusCode, res.body).toBe(200);
    const { secret, settings } = res.json<{ secret: string; settings: MessagingSettings }>();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(settings.hasWebhookSecret).toBe(true);
    const got = await owner.request('GET', url('/messaging-settings'));
    expect(got.body).not.toContain(secret);
    const next = (await owner.request('POST', url('/messaging-settings/webhook-secret'))).json<{
      secret: string;
    }>();
    expect(next.secret).not.toBe(secret);
    const settingsNow = await h.services.senders.settings(Number(tenant.subId) as never);
    expect(settingsNow.webhookToken).toBe(settings.webhookToken); // the token stays
  });

  it('rights: reading needs messaging.send, changing settings.manage; tenancy answers 404', async () => {
    expect((await analyst.request('GET', url('/messaging-settings'))).statusCode).toBe(403);
    expect((await analyst.request('GET', url('/sender-profiles'))).statusCode).toBe(403);
    expect((await marketer.request('PATCH', url('/messaging-settings'), { emailRate: 1 })).statusCode).toBe(
      403,
    );
    expect((await marketer.request('POST', url('/messaging-settings/webhook-secret'))).statusCode).toBe(403);
    expect(
      (await marketer.request('POST', url('/messaging-settings/test-email'), { to: 'a@b.example' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await marketer.request('POST', url('/sender-profiles'), {
          name: 'x',
          fromName: 'x',
          fromAddress: 'x@y.example',
        })
      ).statusCode,
    ).toBe(403);
    expect((await otherOwner.request('GET', url('/messaging-settings'))).statusCode).toBe(404);
    expect((await otherOwner.request('GET', url('/sender-profiles'))).statusCode).toBe(404);
    expect(
      (await otherOwner.request('POST', url('/messaging-settings/test-email'), { to: 'a@b.example' }))
        .statusCode,
    ).toBe(404);
  });

  it('sender profiles: CRUD, one default, bad addresses 400 naming the field, names unique', async () => {
    const bad = await owner.request('POST', url('/sender-profiles'), {
      name: 'Newsletter',
      fromName: 'Laden Müller',
      fromAddress: 'not-an-address',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'body.fromAddress',
    ]);
    const badReply = await owner.request('POST', url('/sender-profiles'), {
      name: 'Newsletter',
      fromName: 'Laden Müller',
      fromAddress: 'news@laden.example',
      replyTo: 'nope@',
    });
    expect(badReply.statusCode).toBe(400);
    expect(badReply.json().error.details.fields[0].field).toBe('body.replyTo');

    const first = await owner.request('POST', url('/sender-profiles'), {
      name: 'Newsletter',
      fromName: 'Laden Müller',
      fromAddress: 'News@Laden.example',
      replyTo: 'hilfe@laden.example',
    });
    expect(first.statusCode, first.body).toBe(201);
    const newsletter = first.json<SenderProfile>();
    expect(newsletter).toMatchObject({ isDefault: true, fromAddress: 'news@laden.example' });
    const second = (
      await owner.request('POST', url('/sender-profiles'), {
        name: 'Service',
        fromName: 'Laden Service',
        fromAddress: 'service@laden.example',
      })
    ).json<SenderProfile>();
    expect(second.isDefault).toBe(false);
    const dup = await owner.request('POST', url('/sender-profiles'), {
      name: 'newsletter',
      fromName: 'x',
      fromAddress: 'x@laden.example',
    });
    expect(dup.statusCode).toBe(409);

    const made = await owner.request('PATCH', url(`/sender-profiles/${second.id}`), { isDefault: true });
    expect(made.statusCode, made.body).toBe(200);
    const list = (await marketer.request('GET', url('/sender-profiles'))).json<{ items: SenderProfile[] }>()
      .items;
    expect(list.map((p) => [p.name, p.isDefault])).toEqual([
      ['Service', true],
      ['Newsletter', false],
    ]);
    expect(
      (await owner.request('PATCH', url(`/sender-profiles/${second.id}`), { fromAddress: 'x' })).statusCode,
    ).toBe(400);
    // Another tenant cannot touch it.
    expect(
      (await otherOwner.request('PATCH', url(`/sender-profiles/${second.id}`, other), { name: 'mine' }))
        .statusCode,
    ).toBe(404);
    expect((await otherOwner.request('DELETE', url(`/sender-profiles/${second.id}`, other))).statusCode).toBe(
      404,
    );
    // Deleting the default passes it on.
    expect((await owner.request('DELETE', url(`/sender-profiles/${second.id}`))).statusCode).toBe(204);
    const after = (await owner.request('GET', url('/sender-profiles'))).json<{ items: SenderProfile[] }>()
      .items;
    expect(after.map((p) => [p.id, p.isDefault])).toEqual([[newsletter.id, true]]);
  });

  it('test email through the account’s SMTP server: accepted, then a 550 is ok=false with the words', async () => {
    const res = await owner.request('POST', url('/messaging-settings/test-email'), {
      to: 'probe@kunde.example',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TestSendResult>(), res.body).toMatchObject({ ok: true });
    const [got] = await sink.waitFor(1);
    expect(got).toMatchObject({ from: 'news@laden.example', to: ['probe@kunde.example'], user: 'mailer' });
    expect(got?.headers['reply-to']).toBe('hilfe@laden.example');

    sink.setRecipientMode('gone@kunde.example', { mode: 'permanent', message: 'Mailbox does not exist' });
    const refused = await owner.request('POST', url('/messaging-settings/test-email'), {
      to: 'gone@kunde.example',
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json<TestSendResult>().ok).toBe(false);
    expect(refused.json<TestSendResult>().detail).toContain('Mailbox does not exist');

    // A server that is down: ok=false, and no password in the words.
    await owner.request('PATCH', url('/messaging-settings'), smtpBody(9, undefined));
    const down = await owner.request('POST', url('/messaging-settings/test-email'), {
      to: 'probe@kunde.example',
    });
    expect(down.statusCode).toBe(200);
    expect(down.json<TestSendResult>().ok).toBe(false);
    expect(down.body).not.toContain(SMTP_PASSWORD);
    await owner.request('PATCH', url('/messaging-settings'), smtpBody());

    const unknownProfile = await owner.request('POST', url('/messaging-settings/test-email'), {
      to: 'probe@kunde.example',
      senderProfileId: '999999',
    });
    expect(unknownProfile.statusCode).toBe(404);
  });

  it('test SMS through the provider stub: accepted, 500 and a refusal are ok=false; no provider is 400', async () => {
    const ok = await owner.request('POST', url('/messaging-settings/test-sms'), { to: '+49 151 11112222' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<TestSendResult>().ok).toBe(true);
    expect(stub.accepted().at(-1)).toMatchObject({
      provider: 'twilio',
      to: '4915111112222',
      from: '+4915100000001',
      authorized: true,
    });
    stub.setNumberMode('+4915133334444', { mode: 'reject' });
    const refused = await owner.request('POST', url('/messaging-settings/test-sms'), {
      to: '+4915133334444',
    });
    expect(refused.json<TestSendResult>()).toMatchObject({ ok: false });
    expect(refused.json<TestSendResult>().detail).toContain('not a valid phone number');
    stub.setMode({ mode: 'error' }, 1);
    const broken = await owner.request('POST', url('/messaging-settings/test-sms'), { to: '+4915155556666' });
    expect(broken.json<TestSendResult>()).toMatchObject({ ok: false });
    expect(broken.body).not.toContain(stub.twilio.authToken);
    const badNumber = await owner.request('POST', url('/messaging-settings/test-sms'), { to: 'abc' });
    expect(badNumber.statusCode).toBe(400);

    await owner.request('PATCH', url('/messaging-settings'), { sms: null });
    const none = await owner.request('POST', url('/messaging-settings/test-sms'), { to: '+4915111112222' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('CHANNEL_NOT_CONFIGURED');
  });

  it('removing the own SMTP server falls back (outbox without SMTP_URL); the channel follows', async () => {
    const res = await owner.request('PATCH', url('/messaging-settings'), { smtp: null, emailRate: null });
    expect(res.json<MessagingSettings>().smtp).toEqual({ configured: false, fallback: 'outbox' });
    expect((await h.services.channels.email(Number(tenant.subId))).kind).toBe('outbox');
    const test = await owner.request('POST', url('/messaging-settings/test-email'), {
      to: 'probe@kunde.example',
    });
    expect(test.json<TestSendResult>()).toMatchObject({ ok: true });
    expect(test.json<TestSendResult>().detail).toContain('outbox');
  });
});
