// Open and click tracking end to end: a tracked bulk email goes through a real SMTP server on
// loopback, the received HTML's links and pixel are fetched through the app's public /t/ routes,
// and the hits land in `tracking_events` once per recipient, in the right account. Forged, altered,
// otherwise-signed and expired tokens record nothing and never redirect. An unsubscribe through the
// email's link is attributed to the send (opt_outs.message_id → messages.action_id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { headerOf, startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import { rows } from '../../db/types.ts';
import type { Actor } from '../../jobs/types.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { compileContent, type BulkMessagingParams } from '../messaging/messaging-content.ts';
import { trackingCounts } from './tracking.repo.ts';

const PUBLIC = 'https://herald.example';
const SALE = 'https://shop.example/sale?utm_source=herald&x=%20y&q=a+b#top';
const OTHER = 'https://shop.example/other';

const HTML = `<html><body>
<p>Hi {{ first_name }}</p>
<a href="https://shop.example/sale?utm_source=herald&amp;x=%20y&amp;q=a+b#top">Sale</a>
<a href='${OTHER}'>Other</a>
<a href="mailto:info@shop.example">Write to us</a>
<a href="{{ unsubscribe_url }}">Leave the list</a>
</body></html>`;

interface Tenant {
  accountId: number;
  actor: Actor;
}

interface Received {
  html: string;
  text: string;
  unsubscribe: string;
}

describe(`open and click tracking (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: BulkSmtp;
  let label = 0;

  beforeAll(async () => {
    smtp = await startBulkSmtp();
    h = await createHarness({ env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: PUBLIC } });
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  const db = () => h.db.database.db;
  const addr = (name: string) => `${name}.${++label}@example.org`;

  async function tenant(): Promise<Tenant> {
    const t = await createTenant(db());
    const accountId = Number(t.subId);
    const [user] = await rows<{ id: number }>(db(), sql`SELECT id FROM users WHERE email = ${t.users.owner}`);
    const access = await h.services.access.accessTo(Number(user!.id), asAccountId(accountId));
    return { accountId, actor: { access: access!, userId: Number(user!.id), language: 'en' } };
  }

  async function contacts(accountId: number, list: { email: string; first: string }[]): Promise<number[]> {
    const ids: number[] = [];
    for (const c of list) {
      const [row] = await rows<{ id: number }>(
        db(),
        sql`INSERT INTO contacts (account_id, email, first_name, email_consent)
            VALUES (${accountId}, ${c.email}, ${c.first}, 'subscribed') RETURNING id`,
      );
      ids.push(Number(row!.id));
    }
    return ids;
  }

  /** Starts a bulk email with `tracking` as given and sends it to the end; answers the action. */
  async function send(t: Tenant, ids: number[], tracking: boolean | undefined): Promise<BulkAction> {
    const email = { subject: 'News for {{ first_name }}', html: HTML };
    const params: BulkMessagingParams = {
      channel: 'email',
      email,
      quietHours: false,
      timeZone: 'Europe/Berlin',
      language: 'en',
      fields: [...compileContent({ channel: 'email', email }).fields],
      ...(tracking === undefined ? {} : { tracking }),
    };
    const selection = { contactIds: ids.map(String) };
    const started = await h.services.bulkActions.start(t.actor, {
      type: 'bulk_email',
      params,
      source: { selection },
      expected: ids.length,
      details: { selection, channel: 'email' },
    });
    const id = Number(started.id);
    await h.services.bulkRunner.run(id);
    for (let i = 0; i < 30; i++) {
      await h.services.deliveries.run(10_000);
      const a = await h.services.bulkActions.get(t.actor, id);
      if (['completed', 'cancelled', 'failed'].includes(a.status)) return a;
    }
    throw new Error('the send did not end');
  }

  async function received(address: string): Promise<Received> {
    const mails = smtp.accepted.filter((m) => m.to === address);
    expect(mails).toHaveLength(1);
    const raw = mails[0]!.raw;
    const parsed = await simpleParser(raw);
    const unsubscribe = headerOf(raw, 'List-Unsubscribe')!.replace(/^<|>$/g, '');
    return { html: parsed.html || '', text: parsed.text ?? '', unsubscribe };
  }

  /** The hrefs of the HTML's links and the pixel's src (attribute values decoded). */
  function links(html: string): { hrefs: string[]; pixel: string | null } {
    const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const hrefs = [...html.matchAll(/<a [^>]*href=(["'])(.*?)\1/g)].map((m) => decode(m[2]!));
    const pixel = /<img src="([^"]*)" width="1" height="1" alt="" style="display:none">/.exec(html);
    return { hrefs, pixel: pixel ? decode(pixel[1]!) : null };
  }

  const path = (url: string) => url.slice(PUBLIC.length);
  const get = (url: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url: path(url), headers });

  const events = (actionId: number) =>
    rows<{
      accountId: number;
      actionId: number;
      contactId: number;
      kind: string;
      url: string;
      hits: number;
    }>(
      db(),
      sql`SELECT account_id::int AS "accountId", action_id::int AS "actionId", contact_id::int AS "contactId",
                 kind, url, hits FROM tracking_events WHERE action_id = ${actionId}
          ORDER BY contact_id, kind DESC, url`,
    );
  const allEvents = async () =>
    Number((await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM tracking_events`))[0]!.n);
  const allHits = async () =>
    Number(
      (await rows<{ n: number }>(db(), sql`SELECT coalesce(sum(hits), 0)::int AS n FROM tracking_events`))[0]!
        .n,
    );

  /** A token with one character changed (in the payload, so it stays well-formed). */
  const altered = (url: string) => {
    const at = url.lastIndexOf('/') + 5;
    return `${url.slice(0, at)}${url[at] === 'A' ? 'B' : 'A'}${url.slice(at + 1)}`;
  };

  it('rewrites the links of a tracked email, counts opens and clicks once per recipient, redirects exactly', async () => {
    const t = await tenant();
    const [anna, ben] = [addr('anna'), addr('ben')];
    const [annaId, benId] = await contacts(t.accountId, [
      { email: anna, first: 'Anna' },
      { email: ben, first: 'Ben' },
    ]);
    const action = await send(t, [annaId!, benId!], true);
    expect(action).toMatchObject({ status: 'completed', succeeded: 2 });
    const actionId = Number(action.id);

    const mail = await received(anna);
    const { hrefs, pixel } = links(mail.html);
    // Sale and Other tracked; mailto and both unsubscribe links (merge field, footer) as they were.
    expect(hrefs).toHaveLength(5);
    expect(hrefs[0]).toMatch(/^https:\/\/herald\.example\/t\/c\/[\w-]+\.[\w-]+$/);
    expect(hrefs[1]).toMatch(/^https:\/\/herald\.example\/t\/c\/[\w-]+\.[\w-]+$/);
    expect(hrefs.slice(2)).toEqual(['mailto:info@shop.example', mail.unsubscribe, mail.unsubscribe]);
    expect(mail.unsubscribe).toMatch(/^https:\/\/herald\.example\/u\//);
    expect(pixel).toMatch(/^https:\/\/herald\.example\/t\/o\/[\w-]+\.[\w-]+$/);
    expect(mail.html).toMatch(/style="display:none"><\/body>/);
    // The text part keeps the original links (plain-text clicks are not tracked).
    expect(mail.text).toContain(SALE);
    expect(mail.text).not.toContain('/t/c/');

    // A link checker's HEAD gets the answer but counts nothing.
    const head = (url: string) => h.app.inject({ method: 'HEAD', url: path(url) });
    expect((await head(pixel!)).statusCode).toBe(200);
    expect((await head(hrefs[0]!)).statusCode).toBe(302);
    expect(await allEvents()).toBe(0);

    // The pixel, twice: one open row with two hits; always the GIF, never cached.
    for (let i = 0; i < 2; i++) {
      const res = await get(pixel!);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/gif');
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.rawPayload).toHaveLength(43);
      expect(res.rawPayload.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    }
    // Sale twice and Other once: redirects to the exact targets (entities decoded, query kept).
    for (const [href, target] of [
      [hrefs[0]!, SALE],
      [hrefs[0]!, SALE],
      [hrefs[1]!, OTHER],
    ] as const) {
      const res = await get(href);
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(target);
      expect(res.headers['cache-control']).toContain('no-store');
    }
    // Ben's images are blocked: he only clicks Sale (the click implies the open).
    const benLinks = links((await received(ben)).html);
    expect(benLinks.hrefs[0]).not.toBe(hrefs[0]);
    expect((await get(benLinks.hrefs[0]!)).headers.location).toBe(SALE);

    expect(await events(actionId)).toEqual([
      { accountId: t.accountId, actionId, contactId: annaId, kind: 'open', url: '', hits: 2 },
      { accountId: t.accountId, actionId, contactId: annaId, kind: 'click', url: OTHER, hits: 1 },
      { accountId: t.accountId, actionId, contactId: annaId, kind: 'click', url: SALE, hits: 2 },
      { accountId: t.accountId, actionId, contactId: benId, kind: 'open', url: '', hits: 1 },
      { accountId: t.accountId, actionId, contactId: benId, kind: 'click', url: SALE, hits: 1 },
    ]);
    const account = asAccountId(t.accountId);
    expect(await withTenant(db(), account, (tx) => trackingCounts(tx, account, actionId))).toEqual({
      opens: { unique: 2, total: 3 },
      clicks: {
        unique: 2,
        total: 4,
        links: [
          { url: SALE, unique: 2, total: 3 },
          { url: OTHER, unique: 1, total: 1 },
        ],
      },
    });
    expect(await h.services.tracking.counts(t.accountId, actionId)).toMatchObject({
      opens: { unique: 2 },
      clicks: { unique: 2 },
    });

    // Forged tokens: nothing recorded; the pixel still loads, a click is refused and never redirects.
    const before = { rows: await allEvents(), hits: await allHits() };
    const annaOpen = pixel!.split('/t/o/')[1]!;
    const benClick = benLinks.hrefs[0]!.split('/t/c/')[1]!;
    const annaClick = hrefs[0]!.split('/t/c/')[1]!;
    const unsubscribeToken = mail.unsubscribe.split('/u/')[1]!;
    const forgedOpens = [
      altered(pixel!),
      `${PUBLIC}/t/o/${unsubscribeToken}`,
      `${PUBLIC}/t/o/${annaClick}`,
      `${PUBLIC}/t/o/${annaOpen.split('.')[0]}.${benClick.split('.')[1]}`,
      `${PUBLIC}/t/o/garbage`,
      `${PUBLIC}/t/o/a.b.c`,
    ];
    for (const url of forgedOpens) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('image/gif');
      expect(res.rawPayload).toHaveLength(43);
    }
    const forgedClicks = [
      altered(hrefs[0]!),
      // Anna's link with the signature of Ben's: another message's signature.
      `${PUBLIC}/t/c/${annaClick.split('.')[0]}.${benClick.split('.')[1]}`,
      `${PUBLIC}/t/c/${unsubscribeToken}`,
      `${PUBLIC}/t/c/${annaOpen}`,
      `${PUBLIC}/t/c/not-a-token`,
    ];
    for (const url of forgedClicks) {
      const res = await get(url, { accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9' });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('This link is not valid');
      expect(res.body).toContain('TRACKING_LINK_INVALID');
    }
    const german = await get(altered(hrefs[1]!), { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(german.statusCode).toBe(400);
    expect(german.body).toContain('Dieser Link ist ungültig');
    const json = await get(altered(hrefs[1]!), { accept: 'application/json' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: { code: 'TRACKING_LINK_INVALID' } });
    expect(json.headers.location).toBeUndefined();

    // Expired (past the two years): refused too.
    const now = h.clock.now();
    h.clock.set(new Date(now.getTime() + 731 * 86_400_000));
    try {
      expect((await get(hrefs[0]!)).statusCode).toBe(400);
      expect((await get(pixel!)).statusCode).toBe(200);
    } finally {
      h.clock.set(now);
    }
    expect({ rows: await allEvents(), hits: await allHits() }).toEqual(before);

    // The same links of a message whose ledger row is gone: redirect (Herald's link), record nothing.
    await db().execute(sql`DELETE FROM messages WHERE action_id = ${actionId} AND contact_id = ${benId}`);
    const gone = await get(benLinks.hrefs[0]!);
    expect(gone.statusCode).toBe(302);
    expect(await allEvents()).toBe(before.rows - 2);
  });

  it('documents both public routes in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, { get?: { security?: unknown[] } }>;
    }>();
    expect(doc.paths['/t/o/{token}']?.get?.security).toEqual([]);
    expect(doc.paths['/t/c/{token}']?.get?.security).toEqual([]);
  });

  it('leaves the HTML of an untracked send as it is', async () => {
    const t = await tenant();
    const [plain, off] = [addr('plain'), addr('off')];
    const [plainId] = await contacts(t.accountId, [{ email: plain, first: 'Pia' }]);
    const [offId] = await contacts(t.accountId, [{ email: off, first: 'Olaf' }]);
    await send(t, [plainId!], undefined);
    await send(t, [offId!], false);
    for (const address of [plain, off]) {
      const mail = await received(address);
      expect(mail.html).not.toContain('/t/');
      expect(links(mail.html).hrefs).toEqual([
        SALE,
        OTHER,
        'mailto:info@shop.example',
        mail.unsubscribe,
        mail.unsubscribe,
      ]);
      expect(links(mail.html).pixel).toBeNull();
    }
  });

  it("keeps another account's hits in that account; attributes an unsubscribe to the send", async () => {
    const [one, two] = [await tenant(), await tenant()];
    const [a, b] = [addr('one'), addr('two')];
    const [aId] = await contacts(one.accountId, [{ email: a, first: 'Una' }]);
    const [bId] = await contacts(two.accountId, [{ email: b, first: 'Tom' }]);
    const actionOne = Number((await send(one, [aId!], true)).id);
    const actionTwo = Number((await send(two, [bId!], true)).id);

    const mailTwo = await received(b);
    const linksTwo = links(mailTwo.html);
    expect((await get(linksTwo.pixel!)).statusCode).toBe(200);
    expect((await get(linksTwo.hrefs[1]!)).headers.location).toBe(OTHER);
    expect((await events(actionTwo)).map((e) => [e.accountId, e.contactId, e.kind, e.url])).toEqual([
      [two.accountId, bId, 'open', ''],
      [two.accountId, bId, 'click', OTHER],
    ]);
    expect(await events(actionOne)).toEqual([]);
    // Counting another account's action from this account finds nothing.
    const accountOne = asAccountId(one.accountId);
    expect(await withTenant(db(), accountOne, (tx) => trackingCounts(tx, accountOne, actionTwo))).toEqual({
      opens: { unique: 0, total: 0 },
      clicks: { unique: 0, total: 0, links: [] },
    });
    expect((await h.services.tracking.counts(two.accountId, actionTwo)).clicks.unique).toBe(1);

    // One-click unsubscribe from the email's List-Unsubscribe: the opt-out names the message, and
    // through it the send.
    const res = await h.app.inject({
      method: 'POST',
      url: path(mailTwo.unsubscribe),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    const [optOut] = await rows<{ actionId: number; source: string }>(
      db(),
      sql`SELECT m.action_id::int AS "actionId", o.source FROM opt_outs o JOIN messages m ON m.id = o.message_id
          WHERE o.account_id = ${two.accountId} AND o.contact_id = ${bId}`,
    );
    expect(optOut).toEqual({ actionId: actionTwo, source: 'one_click' });
  });
});
