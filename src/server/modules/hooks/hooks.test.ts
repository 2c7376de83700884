// The public webhooks end to end on the real app: signatures computed here the way each provider
// computes them (independently of the server's code), ledger rows and contacts inserted directly,
// and what each request did (or did not) change read back from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createHarness, login, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';

interface Fixture {
  accountId: number;
  ownerEmail: string;
  token: string;
  secret: string;
  /** Twilio auth token or Vonage signature secret. */
  smsSecret: string;
  actionId: number;
  contacts: Record<string, number>;
  /** ledger id per contact key */
  messages: Record<string, number>;
}

const PEOPLE = {
  ada: { email: 'Ada@Example.org', phone: '+4915100000001' },
  ben: { email: 'ben@example.org', phone: '+4915100000002' },
  cem: { email: 'cem@example.org', phone: '+4915100000003' },
  dora: { email: 'dora@example.org', phone: '+4915100000004' },
} as const;
type Person = keyof typeof PEOPLE;

describe(`webhooks and callbacks (${ENGINE})`, () => {
  let h: TestHarness;
  let twilioA: Fixture;
  let twilioB: Fixture;
  let vonage: Fixture;
  const now = () => h.clock.now();
  const unix = () => Math.floor(now().getTime() / 1000);

  /** An account with messaging settings, four contacts, one bulk action and a ledger row per contact. */
  async function fixture(provider: 'twilio' | 'vonage', channel: 'email' | 'sms'): Promise<Fixture> {
    const db = h.db.database.db;
    const tenant = await createTenant(db);
    const accountId = Number(tenant.subId);
    const token = randomBytes(12).toString('base64url');
    const secret = `whsec_${randomBytes(8).toString('hex')}`;
    const smsSecret = randomBytes(16).toString('hex');
    const credentials =
      provider === 'twilio'
        ? { accountSid: 'AC123', authToken: smsSecret }
        : { apiKey: 'key', apiSecret: 'secret', signatureSecret: smsSecret };
    await db.execute(sql`
      INSERT INTO messaging_settings (account_id, webhook_token, webhook_secret_sealed, sms_provider, sms_credentials_sealed)
      VALUES (${accountId}, ${token}, ${h.services.secrets.seal(secret)}, ${provider},
              ${h.services.secrets.seal(JSON.stringify(credentials))})`);
    const [action] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO bulk_actions (account_id, type, name, status, created_at, updated_at)
          VALUES (${accountId}, ${channel === 'email' ? 'bulk_email' : 'bulk_sms'}, 'Send', 'in_progress', now(), now())
          RETURNING id`,
    );
    const actionId = Number(action!.id);
    const contacts: Record<string, number> = {};
    const messages: Record<string, number> = {};
    let seq = 0;
    for (const [key, p] of Object.entries(PEOPLE)) {
      const [c] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO contacts (account_id, email, phone, first_name) VALUES (${accountId}, ${p.email.toLowerCase()}, ${p.phone}, ${key})
            RETURNING id`,
      );
      contacts[key] = Number(c!.id);
      const [m] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO messages (account_id, action_id, contact_id, channel, seq, address, status, message_id,
                                  provider_message_id, sent_at)
            VALUES (${accountId}, ${actionId}, ${contacts[key]}, ${channel}, ${seq++},
                    ${channel === 'email' ? p.email : p.phone}, 'sent',
                    ${channel === 'email' ? `<a${actionId}.c${contacts[key]}@herald.test>` : null},
                    ${channel === 'sms' ? `SM${accountId}${key}` : null}, now())
            RETURNING id`,
      );
      messages[key] = Number(m!.id);
    }
    return {
      accountId,
      ownerEmail: tenant.users.owner,
      token,
      secret,
      smsSecret,
      actionId,
      contacts,
      messages,
    };
  }

  const ledger = async (f: Fixture, who: Person) => {
    const [row] = await rows<Record<string, unknown>>(
      h.db.database.db,
      sql`SELECT status, bounce_type AS "bounceType", complained, reason, detail,
                 delivered_at IS NOT NULL AS delivered
          FROM messages WHERE id = ${f.messages[who]}`,
    );
    return row!;
  };
  const deliverability = (f: Fixture) =>
    rows<Record<string, unknown>>(
      h.db.database.db,
      sql`SELECT channel, address, state, soft_bounces AS "softBounces", reason FROM address_deliverability
          WHERE account_id = ${f.accountId} ORDER BY channel, address`,
    );
  const consent = async (f: Fixture, who: Person) => {
    const [row] = await rows<{ email: string; sms: string }>(
      h.db.database.db,
      sql`SELECT email_consent AS email, sms_consent AS sms FROM contacts WHERE id = ${f.contacts[who]}`,
    );
    return row!;
  };
  const optOuts = (f: Fixture) =>
    rows<{ contactId: number; channel: string; source: string; messageId: number | null }>(
      h.db.database.db,
      sql`SELECT contact_id::int AS "contactId", channel, source, message_id::int AS "messageId"
          FROM opt_outs WHERE account_id = ${f.accountId} ORDER BY id`,
    );
  /** Everything a webhook could change in an account, to compare before and after a refused request. */
  const snapshot = async (f: Fixture) => ({
    ledger: await rows(
      h.db.database.db,
      sql`SELECT * FROM messages WHERE account_id = ${f.accountId} ORDER BY id`,
    ),
    deliverability: await deliverability(f),
    optOuts: await optOuts(f),
    contacts: await rows(
      h.db.database.db,
      sql`SELECT id, email_consent, sms_consent FROM contacts WHERE account_id = ${f.accountId} ORDER BY id`,
    ),
    events: await rows(
      h.db.database.db,
      sql`SELECT provider, event_id FROM provider_events WHERE account_id = ${f.accountId} ORDER BY event_id`,
    ),
  });

  // ---- the email event webhook ------------------------------------------------------------------

  /** Herald's documented scheme, computed here from the spec: hex HMAC-SHA256(secret, "<t>.<body>"). */
  const sign = (secret: string, body: string, t = unix()) =>
    `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
  const postEvents = (f: Fixture, events: unknown, signature?: (body: string) => string | undefined) => {
    const body = JSON.stringify(events);
    const sig = signature ? signature(body) : sign(f.secret, body);
    return h.app.inject({
      method: 'POST',
      url: `/api/hooks/${f.token}/email/events`,
      headers: {
        'content-type': 'application/json',
        ...(sig === undefined ? {} : { 'x-herald-signature': sig }),
      },
      payload: body,
    });
  };
  const msgId = (f: Fixture, who: Person) => `<a${f.actionId}.c${f.contacts[who]}@herald.test>`;

  let emailA: Fixture;
  let emailB: Fixture;

  beforeAll(async () => {
    h = await createHarness();
    emailA = await fixture('twilio', 'email');
    emailB = await fixture('twilio', 'email');
    twilioA = await fixture('twilio', 'sms');
    twilioB = await fixture('twilio', 'sms');
    vonage = await fixture('vonage', 'sms');
  });
  afterAll(() => h.close());

  it('refuses a bad, missing, stale or wrongly keyed signature with 401 and changes nothing', async () => {
    const events = [
      {
        id: 'ev-sig',
        type: 'bounce',
        bounceType: 'hard',
        messageId: msgId(emailA, 'ada'),
        timestamp: now().toISOString(),
      },
    ];
    const before = await snapshot(emailA);
    const attempts: [string, (body: string) => string | undefined][] = [
      ['missing', () => undefined],
      ['garbage', () => 'nonsense'],
      ['other secret', (body) => sign('whsec_wrong', body)],
      ['altered body', (body) => sign(emailA.secret, body.replace('hard', 'soft'))],
      ['stale (6 minutes old)', (body) => sign(emailA.secret, body, unix() - 360)],
      ['from the future', (body) => sign(emailA.secret, body, unix() + 360)],
      ["another account's secret", (body) => sign(emailB.secret, body)],
    ];
    for (const [label, signature] of attempts) {
      const res = await postEvents(emailA, events, signature);
      expect(res.statusCode, label).toBe(401);
      expect(res.json().error.code, label).toBe('SIGNATURE_INVALID');
    }
    // A malformed body with a bad signature is still a 401, not a validation answer.
    const malformed = await h.app.inject({
      method: 'POST',
      url: `/api/hooks/${emailA.token}/email/events`,
      headers: { 'content-type': 'application/json', 'x-herald-signature': 't=1,v1=00' },
      payload: '{"not": "an array"}',
    });
    expect(malformed.statusCode).toBe(401);
    expect(await snapshot(emailA)).toEqual(before);

    // Within the tolerance (4 minutes old) it is accepted.
    const ok = await postEvents(emailA, events, (body) => sign(emailA.secret, body, unix() - 240));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ applied: 1, duplicates: 0, ignored: 0 });
    expect(await ledger(emailA, 'ada')).toMatchObject({ status: 'bounced', bounceType: 'hard' });
  });

  it('answers 404 for an unknown token', async () => {
    const res = await postEvents({ ...emailA, token: 'unknown-token' }, []);
    expect(res.statusCode).toBe(404);
  });

  it('gives the same end state for events out of order and twice', async () => {
    const at = (minutes: number) => new Date(now().getTime() + minutes * 60_000).toISOString();
    const events = (f: Fixture) => [
      { id: `${f.token}-1`, type: 'delivered', messageId: msgId(f, 'ben'), timestamp: at(1) },
      {
        id: `${f.token}-2`,
        type: 'bounce',
        bounceType: 'soft',
        messageId: msgId(f, 'ben'),
        reason: '452 full',
        timestamp: at(2),
      },
      {
        id: `${f.token}-3`,
        type: 'bounce',
        bounceType: 'hard',
        messageId: msgId(f, 'ben'),
        reason: '550 gone',
        timestamp: at(3),
      },
      { id: `${f.token}-4`, type: 'delivered', messageId: msgId(f, 'cem'), timestamp: at(1) },
      // Without brackets, as some providers write it.
      { id: `${f.token}-5`, type: 'delivered', messageId: msgId(f, 'dora').slice(1, -1), timestamp: at(1) },
    ];
    // Account A in order, once; account B reversed and each event twice (also in one request).
    const inOrder = await postEvents(emailA, events(emailA));
    expect(inOrder.json()).toEqual({ applied: 5, duplicates: 0, ignored: 0 });
    const reversed = [...events(emailB)].reverse();
    const first = await postEvents(emailB, [...reversed, reversed[0]]);
    expect(first.json()).toEqual({ applied: 5, duplicates: 1, ignored: 0 });
    const again = await postEvents(emailB, reversed);
    expect(again.json()).toEqual({ applied: 0, duplicates: 5, ignored: 0 });

    for (const f of [emailA, emailB]) {
      expect(await ledger(f, 'ben')).toEqual({
        status: 'bounced',
        bounceType: 'hard',
        complained: false,
        reason: 'hard_bounce',
        detail: '550 gone',
        delivered: true,
      });
      expect(await ledger(f, 'cem')).toMatchObject({ status: 'delivered', delivered: true });
      expect(await ledger(f, 'dora')).toMatchObject({ status: 'delivered', delivered: true });
    }
    const state = (list: Record<string, unknown>[]) => list.find((d) => d.address === 'ben@example.org');
    expect(state(await deliverability(emailA))).toEqual({
      channel: 'email',
      address: 'ben@example.org',
      state: 'hard_bounced',
      softBounces: 1,
      reason: '550 gone',
    });
    expect(state(await deliverability(emailB))).toEqual(state(await deliverability(emailA)));
  });

  it("ignores an unknown message with 200, and another account's message is unknown", async () => {
    const before = await snapshot(emailB);
    const res = await postEvents(emailA, [
      {
        id: 'unknown-1',
        type: 'bounce',
        messageId: '<a999999.c1@herald.test>',
        timestamp: now().toISOString(),
      },
      // B's message, sent to A's webhook with A's signature.
      { id: 'cross-1', type: 'complaint', messageId: msgId(emailB, 'dora'), timestamp: now().toISOString() },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ applied: 0, duplicates: 0, ignored: 2 });
    expect(await snapshot(emailB)).toEqual(before);
  });

  it('a complaint records the complaint, the address as complained and an email opt-out', async () => {
    const res = await postEvents(emailA, [
      {
        id: 'complaint-1',
        type: 'complaint',
        messageId: msgId(emailA, 'dora'),
        reason: 'abuse',
        timestamp: now().toISOString(),
      },
    ]);
    expect(res.json()).toEqual({ applied: 1, duplicates: 0, ignored: 0 });
    expect(await ledger(emailA, 'dora')).toMatchObject({ status: 'delivered', complained: true });
    expect((await deliverability(emailA)).find((d) => d.address === 'dora@example.org')).toMatchObject({
      state: 'complained',
      reason: 'abuse',
    });
    expect(await consent(emailA, 'dora')).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
    expect(await optOuts(emailA)).toEqual([
      {
        contactId: emailA.contacts.dora,
        channel: 'email',
        source: 'complaint',
        messageId: emailA.messages.dora,
      },
    ]);

    // The contact detail shows it.
    const owner = await login(h.app, emailA.ownerEmail, TEST_PASSWORD);
    const detail = await owner.request(
      'GET',
      `/api/accounts/${emailA.accountId}/contacts/${emailA.contacts.dora}/deliverability`,
    );
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      email: { channel: 'email', address: 'dora@example.org', state: 'complained', reason: 'abuse' },
      sms: { channel: 'sms', address: '+4915100000004', state: 'ok', changedAt: null },
      optOuts: [{ channel: 'email', source: 'complaint', messageId: String(emailA.messages.dora) }],
    });
    // Another account's contact id through this account is not found.
    const foreign = await owner.request(
      'GET',
      `/api/accounts/${emailA.accountId}/contacts/${emailB.contacts.dora}/deliverability`,
    );
    expect(foreign.statusCode).toBe(404);
  });

  it('three soft bounces in a row make an address hard-bounced; a delivery in between starts over', async () => {
    const at = (minutes: number) => new Date(now().getTime() + minutes * 60_000).toISOString();
    // Cem's address got "delivered" at +1 in the earlier test; soft bounces at +10, +11, then a
    // delivery at +12, then three more.
    const soft = (n: number, minute: number) => ({
      id: `soft-${n}`,
      type: 'bounce',
      bounceType: 'soft',
      messageId: msgId(emailA, 'cem'),
      reason: `452 try ${n}`,
      timestamp: at(minute),
    });
    await postEvents(emailA, [soft(1, 10), soft(2, 11)]);
    const cem = async () => (await deliverability(emailA)).find((d) => d.address === 'cem@example.org');
    expect(await cem()).toMatchObject({ state: 'soft_bounced', softBounces: 2 });
    await postEvents(emailA, [
      { id: 'deliv-cem', type: 'delivered', messageId: msgId(emailA, 'cem'), timestamp: at(12) },
    ]);
    expect(await cem()).toMatchObject({ state: 'ok', softBounces: 0 });
    await postEvents(emailA, [soft(3, 13), soft(4, 14)]);
    expect(await cem()).toMatchObject({ state: 'soft_bounced', softBounces: 2 });
    await postEvents(emailA, [soft(5, 15)]);
    expect(await cem()).toMatchObject({ state: 'hard_bounced', softBounces: 3, reason: '452 try 5' });
  });

  // ---- Twilio -------------------------------------------------------------------------------------

  /** Twilio's documented algorithm: base64 HMAC-SHA1(auth token, URL + sorted name+value pairs). */
  function twilioSign(authToken: string, url: string, params: Record<string, string>): string {
    let data = url;
    for (const name of Object.keys(params).sort()) data += name + params[name];
    return createHmac('sha1', authToken).update(data).digest('base64');
  }
  const twilioPost = (f: Fixture, path: string, params: Record<string, string>, signature?: string) => {
    const url = `${h.config.publicUrl.replace(/\/$/, '')}${path}`;
    return h.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSign(f.smsSecret, url, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
  };

  it('Twilio: a signed status callback moves the row; a bad signature changes nothing', async () => {
    const path = `/api/hooks/${twilioA.token}/sms/twilio/status?m=${twilioA.messages.ada}`;
    const delivered = {
      MessageSid: `SM${twilioA.accountId}ada`,
      MessageStatus: 'delivered',
      AccountSid: 'AC123',
    };
    const before = await snapshot(twilioA);
    expect((await twilioPost(twilioA, path, delivered, 'bm90IGl0')).statusCode).toBe(401);
    expect((await twilioPost(twilioB, path, delivered)).statusCode).toBe(401); // B's auth token
    expect(await snapshot(twilioA)).toEqual(before);

    const res = await twilioPost(twilioA, path, delivered);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ result: 'applied' });
    expect(await ledger(twilioA, 'ada')).toMatchObject({ status: 'delivered', delivered: true });
    // The same callback again is a duplicate.
    expect((await twilioPost(twilioA, path, delivered)).json()).toEqual({ result: 'duplicate' });

    // Undelivered, found by MessageSid (no m), with the error code.
    const sidPath = `/api/hooks/${twilioA.token}/sms/twilio/status`;
    const undelivered = {
      MessageSid: `SM${twilioA.accountId}ben`,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    };
    expect((await twilioPost(twilioA, sidPath, undelivered)).json()).toEqual({ result: 'applied' });
    expect(await ledger(twilioA, 'ben')).toMatchObject({
      status: 'failed',
      reason: 'undelivered',
      detail: 'Twilio undelivered, error 30003',
    });
    // 30003 (handset unreachable) says the phone may work later: a soft bounce of the number.
    expect(await deliverability(twilioA)).toEqual([
      {
        channel: 'sms',
        address: PEOPLE.ben.phone,
        state: 'soft_bounced',
        softBounces: 1,
        reason: 'Twilio undelivered, error 30003',
      },
    ]);
    // Intermediate statuses change nothing.
    const sent = { MessageSid: `SM${twilioA.accountId}cem`, MessageStatus: 'sent' };
    expect((await twilioPost(twilioA, sidPath, sent)).json()).toEqual({ result: 'ignored' });
    expect(await ledger(twilioA, 'cem')).toMatchObject({ status: 'sent' });
  });

  it("Twilio: a callback of account A cannot touch account B's message, even with B's ledger id", async () => {
    const before = await snapshot(twilioB);
    const path = `/api/hooks/${twilioA.token}/sms/twilio/status?m=${twilioB.messages.cem}`;
    const params = { MessageSid: `SM${twilioB.accountId}cem`, MessageStatus: 'failed', ErrorCode: '30005' };
    const res = await twilioPost(twilioA, path, params);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ result: 'ignored' });
    expect(await snapshot(twilioB)).toEqual(before);
  });

  it('Twilio inbound: STOP and ABMELDEN opt out (empty TwiML); other words do not', async () => {
    const path = `/api/hooks/${twilioA.token}/sms/twilio/inbound`;
    const inbound = (from: string, body: string) => ({
      MessageSid: `SMin${randomBytes(4).toString('hex')}`,
      From: from,
      To: '+4930000000',
      Body: body,
    });
    const before = await snapshot(twilioA);
    for (const word of ['Hallo', 'STOP bitte', 'stopper', 'Please stop']) {
      const res = await twilioPost(twilioA, path, inbound(PEOPLE.ada.phone, word));
      expect(res.statusCode).toBe(200);
    }
    // A forged STOP changes nothing either.
    expect((await twilioPost(twilioA, path, inbound(PEOPLE.ada.phone, 'STOP'), 'Zm9yZ2Vk')).statusCode).toBe(
      401,
    );
    expect(await snapshot(twilioA)).toEqual(before);

    const stop = await twilioPost(twilioA, path, inbound(PEOPLE.ada.phone, '  stop \n'));
    expect(stop.statusCode).toBe(200);
    expect(stop.headers['content-type']).toMatch(/text\/xml/);
    expect(stop.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    await twilioPost(twilioA, path, inbound(PEOPLE.ben.phone, 'Abmelden'));
    expect(await consent(twilioA, 'ada')).toEqual({ email: 'subscribed', sms: 'unsubscribed' });
    expect(await consent(twilioA, 'ben')).toEqual({ email: 'subscribed', sms: 'unsubscribed' });
    expect(await consent(twilioA, 'cem')).toEqual({ email: 'subscribed', sms: 'subscribed' });
    // A second STOP is harmless: no second opt-out.
    await twilioPost(twilioA, path, inbound(PEOPLE.ada.phone, 'STOPP'));
    expect(await optOuts(twilioA)).toEqual([
      {
        contactId: twilioA.contacts.ada,
        channel: 'sms',
        source: 'sms_keyword',
        messageId: twilioA.messages.ada,
      },
      {
        contactId: twilioA.contacts.ben,
        channel: 'sms',
        source: 'sms_keyword',
        messageId: twilioA.messages.ben,
      },
    ]);
    // The same phone in account B is B's contact: untouched by A's webhook.
    expect(await consent(twilioB, 'ada')).toEqual({ email: 'subscribed', sms: 'subscribed' });
  });

  // ---- Vonage -------------------------------------------------------------------------------------

  /** Vonage's manual signing: sorted `&key=value` (with & and = in values as _), HMAC-SHA256, hex. */
  function vonageSign(secret: string, params: Record<string, string>): string {
    const data = Object.keys(params)
      .sort()
      .map((k) => `&${k}=${params[k]!.replace(/&/g, '_').replace(/=/g, '_')}`)
      .join('');
    return createHmac('sha256', secret).update(data).digest('hex').toUpperCase();
  }
  const vonagePost = (
    f: Fixture,
    path: string,
    fields: Record<string, string>,
    as: 'json' | 'form',
    sig?: string,
  ) => {
    const params = {
      ...fields,
      timestamp: fields.timestamp ?? String(unix()),
      nonce: randomBytes(4).toString('hex'),
    };
    const signed = { ...params, sig: sig ?? vonageSign(f.smsSecret, params) };
    return h.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
      payload: as === 'json' ? JSON.stringify(signed) : new URLSearchParams(signed).toString(),
    });
  };

  it('Vonage: signed receipts (JSON and form) move rows; bad, stale or missing sig changes nothing', async () => {
    const path = `/api/hooks/${vonage.token}/sms/vonage/status`;
    const receipt = (who: Person, status: string, extra: Record<string, string> = {}) => ({
      msisdn: PEOPLE[who].phone.slice(1),
      to: 'Herald',
      messageId: `SM${vonage.accountId}${who}`,
      status,
      'err-code': status === 'delivered' ? '0' : '5',
      'message-timestamp': '2026-11-25 09:00:00',
      ...extra,
    });
    const before = await snapshot(vonage);
    expect((await vonagePost(vonage, path, receipt('ada', 'delivered'), 'json', 'ABCDEF')).statusCode).toBe(
      401,
    );
    const stale = receipt('ada', 'delivered', { timestamp: String(unix() - 600) });
    expect((await vonagePost(vonage, path, stale, 'json')).statusCode).toBe(401);
    const unsigned = await h.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(receipt('ada', 'delivered')),
    });
    expect(unsigned.statusCode).toBe(401);
    // A Twilio-style request to the Vonage account is refused too.
    expect(
      (
        await twilioPost(vonage, `/api/hooks/${vonage.token}/sms/twilio/status`, {
          MessageStatus: 'delivered',
        })
      ).statusCode,
    ).toBe(401);
    expect(await snapshot(vonage)).toEqual(before);

    const ok = await vonagePost(vonage, path, receipt('ada', 'delivered'), 'json');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ result: 'applied' });
    expect(await ledger(vonage, 'ada')).toMatchObject({ status: 'delivered' });
    // Form body, found by the ledger id in m, a value with & and = in it.
    const expired = await vonagePost(
      vonage,
      `${path}?m=${vonage.messages.ben}`,
      { ...receipt('ben', 'expired'), messageId: 'other-id', 'client-ref': 'a=b&c' },
      'form',
    );
    expect(expired.json()).toEqual({ result: 'applied' });
    expect(await ledger(vonage, 'ben')).toMatchObject({
      status: 'failed',
      detail: 'Vonage expired, error 5',
    });
    // err-code 9 (illegal number): the phone is hard-bounced; 5 (portability) says nothing about it.
    expect(
      (await vonagePost(vonage, path, receipt('cem', 'rejected', { 'err-code': '9' }), 'json')).json(),
    ).toEqual({ result: 'applied' });
    expect(await deliverability(vonage)).toEqual([
      {
        channel: 'sms',
        address: PEOPLE.cem.phone,
        state: 'hard_bounced',
        softBounces: 0,
        reason: 'Vonage rejected, error 9',
      },
    ]);
    expect((await vonagePost(vonage, path, receipt('dora', 'buffered'), 'json')).json()).toEqual({
      result: 'ignored',
    });
    expect(await ledger(vonage, 'dora')).toMatchObject({ status: 'sent' });
  });

  it('Vonage inbound: STOP / ABMELDEN opt the sender out, other words do not', async () => {
    const path = `/api/hooks/${vonage.token}/sms/vonage/inbound`;
    const inbound = (who: Person, text: string) => ({
      msisdn: PEOPLE[who].phone.slice(1),
      to: '4930000000',
      messageId: randomBytes(6).toString('hex'),
      text,
      type: 'text',
    });
    expect((await vonagePost(vonage, path, inbound('cem', 'Danke'), 'json')).statusCode).toBe(204);
    expect((await vonagePost(vonage, path, inbound('cem', 'ABMELDEN'), 'json', 'bad')).statusCode).toBe(401);
    expect(await consent(vonage, 'cem')).toEqual({ email: 'subscribed', sms: 'subscribed' });
    expect((await vonagePost(vonage, path, inbound('cem', 'ABMELDEN'), 'form')).statusCode).toBe(204);
    expect((await vonagePost(vonage, path, inbound('dora', 'Stop'), 'json')).statusCode).toBe(204);
    expect(await consent(vonage, 'cem')).toEqual({ email: 'subscribed', sms: 'unsubscribed' });
    expect(await consent(vonage, 'dora')).toEqual({ email: 'subscribed', sms: 'unsubscribed' });
    expect(await consent(vonage, 'ada')).toEqual({ email: 'subscribed', sms: 'subscribed' });
  });

  // ---- raw bounces --------------------------------------------------------------------------------

  const dsn = (name: string) =>
    fs.readFile(fileURLToPath(new URL(`../../../../test/fixtures/dsn/${name}`, import.meta.url)), 'utf8');
  /** A fixture with the returned Message-ID set to a ledger row's. */
  const bounceOf = async (name: string, original: string, f: Fixture, who: Person) =>
    (await dsn(name)).replaceAll(original, msgId(f, who));
  const postBounce = (f: Fixture, raw: string, authorization?: string) =>
    h.app.inject({
      method: 'POST',
      url: `/api/hooks/${f.token}/bounces`,
      headers: {
        'content-type': 'message/rfc822',
        ...(authorization === undefined ? {} : { authorization }),
      },
      payload: raw,
    });

  it('bounces: a DSN with the webhook secret bounces the ledger row; other secrets are refused', async () => {
    const raw = await bounceOf('exchange-hard.eml', '<a7.c99@herald.test>', emailB, 'ada');
    const before = await snapshot(emailB);
    expect((await postBounce(emailB, raw)).statusCode).toBe(401);
    expect((await postBounce(emailB, raw, `Bearer ${emailA.secret}`)).statusCode).toBe(401);
    expect((await postBounce(emailB, raw, 'Bearer hrt_not_an_api_token')).statusCode).toBe(401);
    expect(await snapshot(emailB)).toEqual(before);

    const res = await postBounce(emailB, raw, `Bearer ${emailB.secret}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ result: 'applied', recipients: 1 });
    expect(await ledger(emailB, 'ada')).toMatchObject({
      status: 'bounced',
      bounceType: 'hard',
      reason: 'hard_bounce',
    });
    expect((await deliverability(emailB)).find((d) => d.address === 'ada@example.org')).toMatchObject({
      state: 'hard_bounced',
      reason: expect.stringContaining('5.1.10') as unknown,
    });
    // The same bounce again changes nothing more.
    expect((await postBounce(emailB, raw, `Bearer ${emailB.secret}`)).json()).toEqual({
      result: 'duplicate',
      recipients: 1,
    });
  });

  it('bounces: a soft DSN counts a soft bounce; a non-DSN and an unknown message are ignored with 200', async () => {
    const auth = `Bearer ${emailB.secret}`;
    // A delay warning is no bounce: the sending MTA still tries.
    const unchanged = await snapshot(emailB);
    const delayed = await bounceOf('postfix-delayed.eml', '<a12.c35@herald.test>', emailB, 'cem');
    expect((await postBounce(emailB, delayed, auth)).json()).toEqual({ result: 'ignored', recipients: 1 });
    expect(await snapshot(emailB)).toEqual(unchanged);
    // Cem of B was delivered earlier (reversed events): a soft failure (given up after 4xx) bounces soft.
    const soft = (await bounceOf('postfix-delayed.eml', '<a12.c35@herald.test>', emailB, 'cem')).replace(
      'Action: delayed',
      'Action: failed',
    );
    expect((await postBounce(emailB, soft, auth)).json()).toEqual({ result: 'applied', recipients: 1 });
    expect(await ledger(emailB, 'cem')).toMatchObject({ status: 'bounced', bounceType: 'soft' });
    expect((await deliverability(emailB)).find((d) => d.address === 'cem@example.org')).toMatchObject({
      state: 'soft_bounced',
      softBounces: 1,
    });
    const before = await snapshot(emailB);
    const ooo = await postBounce(emailB, await dsn('out-of-office.eml'), auth);
    expect(ooo.json()).toEqual({ result: 'ignored', recipients: 0 });
    const unknown = await postBounce(emailB, await dsn('postfix-hard.eml'), auth);
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ result: 'ignored', recipients: 1 });
    // A's message bounced to B's webhook is unknown to B, and A's row stays as it was.
    const crossA = await ledger(emailA, 'ada');
    const cross = await bounceOf('postfix-hard.eml', '<a12.c34@herald.test>', emailA, 'ada');
    expect((await postBounce(emailB, cross, auth)).json()).toEqual({ result: 'ignored', recipients: 1 });
    expect(await ledger(emailA, 'ada')).toEqual(crossA);
    expect((await snapshot(emailB)).ledger).toEqual(before.ledger);
  });
  it('forgets provider event ids after their retention, in the daily purge', async () => {
    const at = (days: number) => new Date(h.clock.now().getTime() - days * 86_400_000).toISOString();
    await h.db.database.db
      .execute(sql`INSERT INTO provider_events (account_id, provider, event_id, received_at)
      VALUES (${emailA.accountId}, 'test', 'old', ${at(31)}::timestamptz),
             (${emailA.accountId}, 'test', 'recent', ${at(29)}::timestamptz)`);
    await h.services.bulkPurge();
    const left = await rows<{ id: string }>(
      h.db.database.db,
      sql`SELECT event_id AS id FROM provider_events WHERE provider = 'test' ORDER BY event_id`,
    );
    expect(left.map((r) => r.id)).toEqual(['recent']);
  });
});
