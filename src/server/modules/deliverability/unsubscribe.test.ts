// Unsubscribe links (RFC 8058) on the real app: a GET only shows the page, a one-click POST or the
// page's button unsubscribes at once (once), and forged, altered, expired or foreign tokens are a
// 400 page that changed nothing. The pages carry the app's CSP and need no script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';
import { SecretBox } from '../../security/secret-box.ts';
import { signLink } from '../../security/signed-links.ts';
import { UNSUBSCRIBE_LINK_DAYS, unsubscribeUrl } from './unsubscribe-links.ts';

describe(`unsubscribe links (${ENGINE})`, () => {
  let h: TestHarness;
  let accountId: number;
  let ownerEmail: string;
  let contacts: { jane: number; max: number; sms: number };
  let messageId: number;

  const path = (url: string) => new URL(url).pathname;
  const link = (contactId: number, channel: 'email' | 'sms' = 'email', m: number | null = messageId) =>
    path(
      unsubscribeUrl(
        h.services.secrets,
        h.config.publicUrl,
        { accountId, contactId, channel, messageId: m },
        h.clock.now(),
      ),
    );
  const consent = async (id: number) => {
    const [row] = await rows<{ email: string; sms: string }>(
      h.db.database.db,
      sql`SELECT email_consent AS email, sms_consent AS sms FROM contacts WHERE id = ${id}`,
    );
    return row!;
  };
  const optOuts = () =>
    rows<{ contactId: number; channel: string; source: string; messageId: number | null }>(
      h.db.database.db,
      sql`SELECT contact_id::int AS "contactId", channel, source, message_id::int AS "messageId"
          FROM opt_outs WHERE account_id = ${accountId} ORDER BY id`,
    );
  const everything = async () => ({
    contacts: await rows(
      h.db.database.db,
      sql`SELECT id, email_consent, sms_consent FROM contacts ORDER BY id`,
    ),
    optOuts: await rows(h.db.database.db, sql`SELECT * FROM opt_outs ORDER BY id`),
  });

  beforeAll(async () => {
    h = await createHarness();
    const tenant = await createTenant(h.db.database.db);
    accountId = Number(tenant.subId);
    ownerEmail = tenant.users.owner;
    const insert = async (email: string | null, phone: string | null) => {
      const [c] = await rows<{ id: number }>(
        h.db.database.db,
        sql`INSERT INTO contacts (account_id, email, phone) VALUES (${accountId}, ${email}, ${phone}) RETURNING id`,
      );
      return Number(c!.id);
    };
    contacts = {
      jane: await insert('jane.doe@example.org', null),
      max: await insert('max@example.de', null),
      sms: await insert(null, '+4915112345678'),
    };
    const [action] = await rows<{ id: number }>(
      h.db.database.db,
      sql`INSERT INTO bulk_actions (account_id, type, name, status, created_at, updated_at)
          VALUES (${accountId}, 'bulk_email', 'Newsletter', 'completed', now(), now()) RETURNING id`,
    );
    const [m] = await rows<{ id: number }>(
      h.db.database.db,
      sql`INSERT INTO messages (account_id, action_id, contact_id, channel, seq, address, status)
          VALUES (${accountId}, ${action!.id}, ${contacts.jane}, 'email', 0, 'jane.doe@example.org', 'sent') RETURNING id`,
    );
    messageId = Number(m!.id);
  });
  afterAll(() => h.close());

  it('GET shows a confirmation with the address masked and a form, and changes nothing', async () => {
    const before = await everything();
    const res = await h.app.inject({
      method: 'GET',
      url: link(contacts.jane),
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('j*******@example.org');
    expect(res.body).not.toContain('jane.doe');
    expect(res.body).toContain(`<form method="post" action="${link(contacts.jane)}">`);
    expect(res.body).not.toMatch(/<script/i);
    // The app's security headers apply: no inline script is allowed, forms may post to Herald only.
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("form-action 'self'");
    // A link scanner fetching it twice changes nothing.
    await h.app.inject({ method: 'GET', url: link(contacts.jane) });
    expect(await everything()).toEqual(before);
  });

  it('speaks German when the reader prefers German', async () => {
    const de = await h.app.inject({
      method: 'GET',
      url: link(contacts.max),
      headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' },
    });
    expect(de.body).toContain('lang="de"');
    expect(de.body).toContain('Möchten Sie diese E-Mails an m***@example.de nicht mehr erhalten?');
    const en = await h.app.inject({
      method: 'GET',
      url: link(contacts.max),
      headers: { 'accept-language': 'fr, en;q=0.5, de;q=0.4' },
    });
    expect(en.body).toContain('lang="en"');
  });

  it('a one-click POST unsubscribes at once; a repeated POST is harmless', async () => {
    const url = link(contacts.jane);
    const post = () =>
      h.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const res = await post();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You are unsubscribed');
    expect(await consent(contacts.jane)).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
    expect(await optOuts()).toEqual([
      { contactId: contacts.jane, channel: 'email', source: 'one_click', messageId },
    ]);
    expect((await post()).statusCode).toBe(200);
    expect(await optOuts()).toHaveLength(1);
  });

  it("the page's button (and a multipart one-click) unsubscribe too, with their source", async () => {
    const button = await h.app.inject({
      method: 'POST',
      url: link(contacts.max, 'email', null),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de' },
      payload: 'confirm=yes',
    });
    expect(button.statusCode).toBe(200);
    expect(button.body).toContain('Sie sind abgemeldet');
    const boundary = 'xYzZY';
    const multipart = await h.app.inject({
      method: 'POST',
      url: link(contacts.sms, 'sms', null),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode).toBe(200);
    expect(await consent(contacts.max)).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
    expect(await consent(contacts.sms)).toEqual({ email: 'subscribed', sms: 'unsubscribed' });
    expect((await optOuts()).slice(1)).toEqual([
      { contactId: contacts.max, channel: 'email', source: 'unsubscribe_link', messageId: null },
      // RFC 8058's own example posts the field as a multipart part.
      { contactId: contacts.sms, channel: 'sms', source: 'one_click', messageId: null },
    ]);
  });

  it('refuses forged, altered, expired and otherwise-signed tokens with a 400 page, changing nothing', async () => {
    // A fresh contact that is still subscribed.
    const [c] = await rows<{ id: number }>(
      h.db.database.db,
      sql`INSERT INTO contacts (account_id, email) VALUES (${accountId}, 'fresh@example.org') RETURNING id`,
    );
    const id = Number(c!.id);
    const good = link(id).slice('/u/'.length);
    const [body, mac] = good.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const altered = Buffer.from(JSON.stringify({ ...payload, c: contacts.jane })).toString('base64url');
    const future = new Date(h.clock.now().getTime() + (UNSUBSCRIBE_LINK_DAYS + 1) * 86_400_000);
    const tokens: [string, string][] = [
      ['altered contact', `${altered}.${mac}`],
      ['flipped mac', `${body}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`],
      [
        'other secret',
        path(
          unsubscribeUrl(
            new SecretBox('another-secret-0123456789-abcdef'),
            h.config.publicUrl,
            { accountId, contactId: id, channel: 'email', messageId: null },
            h.clock.now(),
          ),
        ).slice(3),
      ],
      [
        'other purpose',
        signLink(h.services.secrets, 'tracking', { a: accountId, c: id, ch: 'email', m: null }, future),
      ],
      ['garbage', 'not-a-token'],
      [
        'expired',
        path(
          unsubscribeUrl(
            h.services.secrets,
            h.config.publicUrl,
            { accountId, contactId: id, channel: 'email', messageId: null },
            new Date(h.clock.now().getTime() - (UNSUBSCRIBE_LINK_DAYS + 1) * 86_400_000),
          ),
        ).slice(3),
      ],
    ];
    const before = await everything();
    for (const [label, token] of tokens) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await h.app.inject({
          method,
          url: `/u/${token}`,
          ...(method === 'POST'
            ? {
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                payload: 'List-Unsubscribe=One-Click',
              }
            : {}),
        });
        expect(res.statusCode, `${label} ${method}`).toBe(400);
        expect(res.body, label).toContain('UNSUBSCRIBE_LINK_INVALID');
        expect(res.headers['content-type']).toMatch(/text\/html/);
      }
    }
    expect(await everything()).toEqual(before);
    // The good token still works (and the expiry is about time: a year on it would not).
    expect((await h.app.inject({ method: 'POST', url: `/u/${good}` })).statusCode).toBe(200);
    expect(await consent(id)).toEqual({ email: 'unsubscribed', sms: 'subscribed' });
  });

  it('a user unsubscribing a contact in the form is recorded as an opt-out (source user), once', async () => {
    const owner = await login(h.app, ownerEmail, TEST_PASSWORD);
    const [c] = await rows<{ id: number }>(
      h.db.database.db,
      sql`INSERT INTO contacts (account_id, email, phone) VALUES (${accountId}, 'asked@example.org', '+4915199990000')
          RETURNING id`,
    );
    const id = Number(c!.id);
    const patch = (body: object) => owner.request('PATCH', `/api/accounts/${accountId}/contacts/${id}`, body);
    expect((await patch({ smsConsent: 'unsubscribed', firstName: 'Asked' })).statusCode).toBe(200);
    expect((await patch({ smsConsent: 'unsubscribed', firstName: 'Asked again' })).statusCode).toBe(200);
    expect((await patch({ emailConsent: 'subscribed' })).statusCode).toBe(200);
    const recorded = (await optOuts()).filter((o) => o.contactId === id);
    expect(recorded).toEqual([{ contactId: id, channel: 'sms', source: 'user', messageId: null }]);
    // The old consent value is gone from the API.
    expect((await patch({ emailConsent: 'bounced' })).statusCode).toBe(400);
  });
});
