// Email statistics of a mailing over a real bulk email send to a real SMTP server on loopback: the
// mailing rows, provider outcomes that need a callback (delivered, soft bounce), opens, clicks and
// unsubscribes are written with SQL (their modules are built apart). Counts, reasons, opens and
// clicks (unique vs total, per link), the hourly timeline, the family's reach, the recipient
// filter for every state, keyset paging, the CSV (content, escaping), tenancy and rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { rows } from '../../db/types.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import {
  RECIPIENT_FILTERS,
  type MailingRecipient,
  type MailingStatistics,
  type RecipientFilter,
} from '../../../shared/mailings.ts';

interface Tenant {
  accountId: number;
  client: Client;
  observer: Client;
  base: string;
}

describe(`mailing statistics (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: BulkSmtp;
  let label = 0;
  const db = () => h.db.database.db;

  beforeAll(async () => {
    smtp = await startBulkSmtp();
    h = await createHarness({ env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: 'https://herald.example' } });
  });
  afterAll(async () => {
    h.services.channels.close();
    await h.close();
    await smtp.close();
  });

  async function tenant(): Promise<Tenant> {
    const t = await createTenant(db());
    return {
      accountId: Number(t.subId),
      client: await login(h.app, t.users.owner, TEST_PASSWORD),
      observer: await login(h.app, t.users.observer, TEST_PASSWORD),
      base: `/api/accounts/${t.subId}`,
    };
  }

  const addr = (name: string) => `${name}.${++label}@example.org`;

  async function contact(accountId: number, email: string, consent = 'subscribed'): Promise<number> {
    const [row] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO contacts (account_id, email, email_consent) VALUES (${accountId}, ${email}, ${consent})
          RETURNING id`,
    );
    return Number(row!.id);
  }

  /** A bulk email to `ids`, sent through the engine to the SMTP sink until it has ended. */
  async function send(t: Tenant, ids: number[]): Promise<number> {
    const res = await t.client.request('POST', `${t.base}/messaging/sends`, {
      channel: 'email',
      selection: { contactIds: ids.map(String) },
      content: { subject: 'Autumn news', html: '<p>Hello</p>' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = Number(res.json<BulkAction>().id);
    await h.services.bulkRunner.run(id);
    for (let i = 0; i < 30; i++) {
      await db().execute(
        sql`UPDATE deliveries SET due_at = now() WHERE action_id = ${id} AND status = 'pending'`,
      );
      await h.services.deliveries.run(10_000);
      const [a] = await rows<{ status: string }>(db(), sql`SELECT status FROM bulk_actions WHERE id = ${id}`);
      if (['completed', 'cancelled', 'failed'].includes(a!.status)) break;
    }
    return id;
  }

  /** A mailing row as the mailings module writes it (its own root unless `rootId`). */
  async function mailing(
    accountId: number,
    fields: {
      name: string;
      actionId?: number | null;
      rootId?: number;
      status?: string;
      atSend?: number;
      tracking?: boolean;
    },
  ): Promise<number> {
    const [row] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO mailings (account_id, name, root_id, status, action_id, recipients_at_send, tracking)
          VALUES (${accountId}, ${fields.name}, ${fields.rootId ?? 0}, ${fields.status ?? 'sent'},
                  ${fields.actionId ?? null}, ${fields.atSend ?? null}, ${fields.tracking ?? true})
          RETURNING id`,
    );
    const id = Number(row!.id);
    if (fields.rootId === undefined)
      await db().execute(sql`UPDATE mailings SET root_id = ${id} WHERE id = ${id}`);
    return id;
  }

  const messageOf = async (actionId: number, contactId: number) => {
    const [row] = await rows<{ id: number }>(
      db(),
      sql`SELECT id FROM messages WHERE action_id = ${actionId} AND contact_id = ${contactId}`,
    );
    return Number(row!.id);
  };

  async function track(
    accountId: number,
    actionId: number,
    contactId: number,
    kind: 'open' | 'click',
    url: string,
    hits: number,
    firstAt: string,
  ) {
    const messageId = await messageOf(actionId, contactId);
    await db()
      .execute(sql`INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits, first_at, last_at)
        VALUES (${accountId}, ${actionId}, ${messageId}, ${contactId}, ${kind}, ${url}, ${hits}, ${firstAt}, ${firstAt})`);
  }

  /** Every recipient in `state`, following the cursor with pages of `limit`. */
  async function allRecipients(t: Tenant, id: number, state?: RecipientFilter, limit = 50) {
    const found: MailingRecipient[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const qs = new URLSearchParams({ limit: String(limit) });
      if (state) qs.set('state', state);
      if (cursor) qs.set('cursor', cursor);
      const res = await t.client.request('GET', `${t.base}/mailings/${id}/recipients?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: MailingRecipient[]; nextCursor: string | null }>();
      found.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return { found, pages };
  }

  /** The scene: a sent mailing with every ledger state, opens, clicks, an unsubscribe and a re-send. */
  async function scene() {
    const t = await tenant();
    const a = addr('anna');
    const b = addr('bert');
    const c = addr('cleo');
    const d = addr('dora');
    const gone = addr('gone');
    const always = addr('always');
    smtp.permanent(gone);
    smtp.temporary(always, 100);
    const ids = {
      a: await contact(t.accountId, a),
      b: await contact(t.accountId, b),
      c: await contact(t.accountId, c),
      d: await contact(t.accountId, d),
      gone: await contact(t.accountId, gone),
      always: await contact(t.accountId, always),
      unsub: await contact(t.accountId, addr('uwe'), 'unsubscribed'),
      invalid: await contact(t.accountId, "=cmd|'/c calc'!a0,x"),
    };
    const actionId = await send(t, Object.values(ids));
    // Fixed times for the timeline; a delivered (provider callback) and b soft-bounced later.
    await db().execute(
      sql`UPDATE messages SET sent_at = '2026-01-05T10:15:00Z' WHERE action_id = ${actionId} AND sent_at IS NOT NULL`,
    );
    await db().execute(
      sql`UPDATE messages SET event_at = '2026-01-05T10:30:00Z' WHERE action_id = ${actionId} AND contact_id = ${ids.gone}`,
    );
    await db().execute(sql`UPDATE messages SET status = 'delivered', delivered_at = '2026-01-05T11:20:00Z'
        WHERE action_id = ${actionId} AND contact_id = ${ids.a}`);
    await db()
      .execute(sql`UPDATE messages SET status = 'bounced', bounce_type = 'soft', reason = 'soft_bounce',
          event_at = '2026-01-05T12:00:00Z' WHERE action_id = ${actionId} AND contact_id = ${ids.b}`);
    await track(t.accountId, actionId, ids.a, 'open', '', 3, '2026-01-05T10:40:00Z');
    await track(t.accountId, actionId, ids.c, 'open', '', 1, '2026-01-05T11:05:00Z');
    await track(
      t.accountId,
      actionId,
      ids.a,
      'click',
      'https://shop.example/sale',
      2,
      '2026-01-05T10:50:00Z',
    );
    await track(
      t.accountId,
      actionId,
      ids.a,
      'click',
      'https://shop.example/about',
      1,
      '2026-01-05T11:10:00Z',
    );
    await track(
      t.accountId,
      actionId,
      ids.c,
      'click',
      'https://shop.example/sale',
      1,
      '2026-01-05T12:30:00Z',
    );
    await db().execute(sql`INSERT INTO opt_outs (account_id, contact_id, channel, source, message_id)
        VALUES (${t.accountId}, ${ids.c}, 'email', 'unsubscribe_link', ${await messageOf(actionId, ids.c)})`);
    const original = await mailing(t.accountId, { name: 'Autumn', actionId, atSend: 8 });
    // A re-send in the family reaching e (new) and d again (the family counts d once).
    const e = await contact(t.accountId, addr('emil'));
    const resendAction = await send(t, [e, ids.d]);
    const resend = await mailing(t.accountId, {
      name: 'Autumn (re-send)',
      actionId: resendAction,
      rootId: original,
      atSend: 2,
    });
    return { t, ids, actionId, original, resend };
  }

  it('counts the ledger, reasons, opens, clicks per link, unsubscribes, the timeline and the family', async () => {
    const { t, original, resend } = await scene();
    const res = await t.client.request('GET', `${t.base}/mailings/${original}/statistics`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<MailingStatistics>();
    expect(s).toMatchObject({
      mailingId: String(original),
      status: 'sent',
      recipientsAtSend: 8,
      counts: { queued: 0, sent: 2, delivered: 1, bounced: 2, failed: 1, skipped: 2, cancelled: 0 },
      bounced: { hard: 1, soft: 1 },
      unsubscribed: 1,
      tracking: true,
      opens: { unique: 2, total: 4 },
      clicks: {
        unique: 2,
        total: 4,
        links: [
          { url: 'https://shop.example/sale', unique: 2, total: 3 },
          { url: 'https://shop.example/about', unique: 1, total: 1 },
        ],
      },
    });
    const reasons = Object.fromEntries(s.reasons.map((r) => [`${r.status}:${r.reason}`, r.count]));
    expect(reasons).toEqual({
      'bounced:hard_bounce': 1,
      'bounced:soft_bounce': 1,
      'failed:retries_exhausted': 1,
      'skipped:no_consent': 1,
      'skipped:invalid_address': 1,
    });
    for (const r of s.reasons) expect(r.label).not.toBe(r.reason);
    expect(s.timeline).toEqual([
      { at: '2026-01-05T10:00:00.000Z', sent: 4, delivered: 0, bounced: 1, opens: 1, clicks: 1 },
      { at: '2026-01-05T11:00:00.000Z', sent: 0, delivered: 1, bounced: 0, opens: 1, clicks: 1 },
      { at: '2026-01-05T12:00:00.000Z', sent: 0, delivered: 0, bounced: 1, opens: 0, clicks: 1 },
    ]);
    // a, c, d reached by the original (sent or delivered), e by the re-send; d counted once.
    expect(s.family).toEqual({
      reached: 4,
      mailings: [
        { id: String(original), name: 'Autumn', status: 'sent' },
        { id: String(resend), name: 'Autumn (re-send)', status: 'sent' },
      ],
    });

    // The re-send's own statistics: its own ledger, the same family.
    const other = (
      await t.client.request('GET', `${t.base}/mailings/${resend}/statistics`)
    ).json<MailingStatistics>();
    expect(other.counts).toMatchObject({ sent: 2, bounced: 0 });
    expect(other.opens).toEqual({ unique: 0, total: 0 });
    expect(other.family.reached).toBe(4);

    // Reason labels follow `lang`.
    const de = (
      await t.client.request('GET', `${t.base}/mailings/${original}/statistics?lang=de`)
    ).json<MailingStatistics>();
    const label = (x: MailingStatistics, code: string) => x.reasons.find((r) => r.reason === code)?.label;
    expect(label(de, 'retries_exhausted')).toBeTruthy();
    expect(label(de, 'retries_exhausted')).not.toBe(label(s, 'retries_exhausted'));
  });

  it('filters recipients by every state, pages by keyset, and carries opens, clicks and unsubscribes', async () => {
    const { t, ids, original } = await scene();
    const expected: Record<RecipientFilter, number[]> = {
      queued: [],
      sent: [ids.c, ids.d],
      delivered: [ids.a],
      bounced: [ids.b, ids.gone],
      failed: [ids.always],
      skipped: [ids.unsub, ids.invalid],
      cancelled: [],
      opened: [ids.a, ids.c],
      clicked: [ids.a, ids.c],
      unsubscribed: [ids.c],
    };
    expect(Object.keys(expected).sort()).toEqual([...RECIPIENT_FILTERS].sort());
    for (const state of RECIPIENT_FILTERS) {
      const { found } = await allRecipients(t, original, state, 1);
      expect(found.map((r) => Number(r.contactId)).sort(), state).toEqual([...expected[state]].sort());
    }
    const { found, pages } = await allRecipients(t, original, undefined, 3);
    expect(found).toHaveLength(8);
    expect(pages).toBe(3);
    const order = found.map((r) => Number(r.messageId));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    const anna = found.find((r) => Number(r.contactId) === ids.a)!;
    expect(anna).toMatchObject({
      status: 'delivered',
      sentAt: '2026-01-05T10:15:00.000Z',
      deliveredAt: '2026-01-05T11:20:00.000Z',
      openedAt: '2026-01-05T10:40:00.000Z',
      clicks: 3,
      unsubscribed: false,
    });
    expect(found.find((r) => Number(r.contactId) === ids.c)).toMatchObject({ clicks: 1, unsubscribed: true });
    expect(found.find((r) => Number(r.contactId) === ids.b)).toMatchObject({
      status: 'bounced',
      bounceType: 'soft',
      reason: 'soft_bounce',
    });

    const bad = await t.client.request('GET', `${t.base}/mailings/${original}/recipients?state=nope`);
    expect(bad.statusCode).toBe(400);
    const forged = await t.client.request('GET', `${t.base}/mailings/${original}/recipients?cursor=abc`);
    expect(forged.statusCode).toBe(400);
  });

  it('exports each state as formula-safe CSV', async () => {
    const { t, ids, original } = await scene();
    const res = await t.client.request('GET', `${t.base}/mailings/${original}/recipients.csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(`mailing-${original}-recipients.csv`);
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Address,Contact ID,Status,Bounce type,Reason,Sent at,Delivered at,Opened at,Clicks,Unsubscribed',
    );
    expect(lines).toHaveLength(9);
    const annaLine = lines.find((l) => l.includes(`,${ids.a},`))!;
    expect(annaLine).toMatch(
      /^anna\.\d+@example\.org,\d+,delivered,,,2026-01-05T10:15:00\.000Z,2026-01-05T11:20:00\.000Z,2026-01-05T10:40:00\.000Z,3,no$/,
    );
    // A leading = is neutralised; the comma in it keeps the cell quoted.
    const evil = lines.find((l) => l.includes(`,${ids.invalid},`))!;
    expect(evil.startsWith(`"'=cmd|'/c calc'!a0,x",${ids.invalid},skipped,`)).toBe(true);

    const opened = await t.client.request(
      'GET',
      `${t.base}/mailings/${original}/recipients.csv?state=unsubscribed`,
    );
    const openedLines = opened.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(openedLines).toHaveLength(2);
    expect(openedLines[1]).toMatch(new RegExp(`^cleo\\.\\d+@example\\.org,${ids.c},sent,.*,1,yes$`));
    const bad = await t.client.request('GET', `${t.base}/mailings/${original}/recipients.csv?state=opens`);
    expect(bad.statusCode).toBe(400);
  });

  it('counts the reach of a family with a single send from its ledger', async () => {
    const t = await tenant();
    const gone = addr('single-gone');
    smtp.permanent(gone);
    const ids = [await contact(t.accountId, addr('single')), await contact(t.accountId, gone)];
    const id = await mailing(t.accountId, { name: 'Single', actionId: await send(t, ids), atSend: 2 });
    // A draft re-send in the family has no send yet: it does not change the reach.
    await mailing(t.accountId, { name: 'Single (re-send)', status: 'draft', rootId: id });
    const s = (
      await t.client.request('GET', `${t.base}/mailings/${id}/statistics`)
    ).json<MailingStatistics>();
    expect(s.counts).toMatchObject({ sent: 1, bounced: 1 });
    expect(s.family.reached).toBe(1);
    expect(s.family.mailings.map((m) => m.status)).toEqual(['sent', 'draft']);
  });

  it('answers zeros before the send, and says when tracking is off', async () => {
    const t = await tenant();
    const draft = await mailing(t.accountId, { name: 'Draft', status: 'draft', tracking: false });
    const s = (
      await t.client.request('GET', `${t.base}/mailings/${draft}/statistics`)
    ).json<MailingStatistics>();
    expect(s).toMatchObject({
      status: 'draft',
      recipientsAtSend: null,
      counts: { queued: 0, sent: 0, delivered: 0, bounced: 0, failed: 0, skipped: 0, cancelled: 0 },
      tracking: false,
      opens: { unique: 0, total: 0 },
      timeline: [],
      reasons: [],
      family: { reached: 0, mailings: [{ id: String(draft), name: 'Draft', status: 'draft' }] },
    });
    const page = await t.client.request('GET', `${t.base}/mailings/${draft}/recipients`);
    expect(page.json()).toEqual({ items: [], nextCursor: null });
    const csv = await t.client.request('GET', `${t.base}/mailings/${draft}/recipients.csv`);
    expect(
      csv.body
        .replace(/^\ufeff/, '')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(1);
  });

  it('is 404 for another account or an unknown mailing and 403 without contacts.view', async () => {
    const { t, original } = await scene();
    const stranger = await tenant();
    const paths = ['statistics', 'recipients', 'recipients.csv'];
    for (const path of paths) {
      const cross = await stranger.client.request('GET', `${stranger.base}/mailings/${original}/${path}`);
      expect(cross.statusCode, path).toBe(404);
      const foreignAccount = await stranger.client.request('GET', `${t.base}/mailings/${original}/${path}`);
      expect([403, 404], path).toContain(foreignAccount.statusCode);
      const unknown = await t.client.request('GET', `${t.base}/mailings/999999999/${path}`);
      expect(unknown.statusCode, path).toBe(404);
      const denied = await t.observer.request('GET', `${t.base}/mailings/${original}/${path}`);
      expect(denied.statusCode, path).toBe(403);
      const ok = await t.client.request('GET', `${t.base}/mailings/${original}/${path}`);
      expect(ok.statusCode, path).toBe(200);
    }
  });
});
