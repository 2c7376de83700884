// Bulk email on the engine, end to end against a real SMTP server on loopback: preview, consent and
// deliverability honoured, headers (Message-ID, List-Unsubscribe), escaping of merged values, 4xx /
// 5xx / dropped connections, pause, resume, cancel, schedule, drip, idempotency, tenancy, the
// delivery results and the recipient table, and the notification of a send that finished with failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { headerOf, startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { rows } from '../../db/types.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { DeliveryResults, LedgerMessage, MessagingPreview } from '../../../shared/bulk-messaging.ts';

interface Tenant {
  accountId: number;
  client: Client;
  base: string;
}

describe(`bulk email (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: BulkSmtp;
  let label = 0;

  beforeAll(async () => {
    smtp = await startBulkSmtp();
    h = await createHarness({ env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: 'https://herald.example' } });
  });
  afterAll(async () => {
    h.services.channels.close();
    await h.close();
    await smtp.close();
  });

  const db = () => h.db.database.db;

  async function tenant(): Promise<Tenant> {
    const t = await createTenant(db());
    const client = await login(h.app, t.users.owner, TEST_PASSWORD);
    return { accountId: Number(t.subId), client, base: `/api/accounts/${t.subId}` };
  }

  /** Inserts contacts; returns their ids in order. */
  async function contacts(
    accountId: number,
    list: {
      email?: string | null;
      phone?: string | null;
      first?: string;
      consent?: string;
      smsConsent?: string;
    }[],
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const c of list) {
      const [row] = await rows<{ id: number }>(
        db(),
        sql`INSERT INTO contacts (account_id, email, phone, first_name, email_consent, sms_consent)
            VALUES (${accountId}, ${c.email ?? null}, ${c.phone ?? null}, ${c.first ?? null},
                    ${c.consent ?? 'subscribed'}, ${c.smsConsent ?? 'subscribed'})
            RETURNING id`,
      );
      ids.push(Number(row!.id));
    }
    return ids;
  }

  const addr = (name: string) => `${name}.${++label}@example.org`;

  const emailBody = (ids: number[], extra: Record<string, unknown> = {}) => ({
    channel: 'email',
    selection: { contactIds: ids.map(String) },
    content: { subject: 'Hello {{ first_name }}', html: '<p>Hi {{ first_name | default: "there" }}!</p>' },
    ...extra,
  });

  async function start(t: Tenant, body: unknown, headers: Record<string, string> = {}): Promise<BulkAction> {
    const res = await t.client.request('POST', `${t.base}/messaging/sends`, body, headers);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<BulkAction>();
  }

  const action = async (t: Tenant, id: string) =>
    (await t.client.request('GET', `${t.base}/bulk-actions/${id}`)).json<BulkAction>();

  /** Everything due is sent (retries made due at once), until the action has ended. */
  async function sendAll(t: Tenant, id: string): Promise<BulkAction> {
    await h.services.bulkRunner.run(Number(id));
    for (let i = 0; i < 30; i++) {
      await db().execute(
        sql`UPDATE deliveries SET due_at = now() WHERE action_id = ${Number(id)} AND status = 'pending'`,
      );
      await h.services.deliveries.run(10_000);
      const a = await action(t, id);
      if (['completed', 'cancelled', 'failed'].includes(a.status)) return a;
    }
    return action(t, id);
  }

  const ledger = (actionId: string) =>
    rows<{ contactId: number; status: string; reason: string | null; bounceType: string | null }>(
      db(),
      sql`SELECT contact_id::int AS "contactId", status, reason, bounce_type AS "bounceType" FROM messages
          WHERE action_id = ${Number(actionId)} ORDER BY contact_id`,
    );
  const mailsTo = (address: string) => smtp.accepted.filter((m) => m.to === address);

  it('previews counts, skips by reason, missing fields; sends only to those who may receive it', async () => {
    const t = await tenant();
    const ok = addr('ok');
    const evil = addr('evil');
    const unsubscribed = addr('unsub');
    const bounced = addr('bounced');
    const invalid = `not-an-address-${++label}`;
    const ids = await contacts(t.accountId, [
      { email: ok, first: 'Anna' },
      { email: evil, first: '<script>alert(1)</script>' },
      { email: unsubscribed, first: 'Uwe', consent: 'unsubscribed' },
      { email: bounced, first: 'Berta' },
      { email: null, phone: '+4915112345678', first: 'Paul' },
      { email: invalid, first: 'Ivan' },
    ]);
    await db().execute(sql`INSERT INTO address_deliverability (account_id, channel, address, state)
                           VALUES (${t.accountId}, 'email', ${bounced}, 'hard_bounced')`);
    const missing = await contacts(t.accountId, [{ email: addr('nameless') }]);
    const all = [...ids, ...missing];

    const preview = await t.client.request('POST', `${t.base}/messaging/preview`, emailBody(all));
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json<MessagingPreview>();
    expect(p).toMatchObject({ count: 7, sendable: 3, sms: null });
    expect(Object.fromEntries(p.skipped.map((s) => [s.reason, s.count]))).toEqual({
      no_consent: 1,
      undeliverable: 1,
      no_address: 1,
      invalid_address: 1,
    });
    expect(p.skipped.find((s) => s.reason === 'no_consent')?.label).toBe('No consent (unsubscribed)');
    expect(p.missingFields).toEqual([{ field: 'first_name', count: 1 }]);
    expect(p.name).toBe('Bulk email “Hello {{ first_name }}” to 7 contacts');

    const created = await start(t, emailBody(all));
    expect(created).toMatchObject({ type: 'bulk_email', status: 'preparing' });
    const done = await sendAll(t, created.id);
    expect(done).toMatchObject({ status: 'completed', total: 7, succeeded: 3, skipped: 4, failed: 0 });

    // Nothing reached the server for the skipped ones.
    for (const a of [unsubscribed, bounced, invalid]) expect(mailsTo(a.toLowerCase())).toHaveLength(0);
    expect(mailsTo(ok)).toHaveLength(1);
    const mail = mailsTo(ok)[0]!;
    expect(headerOf(mail.raw, 'Subject')).toBe('Hello Anna');
    expect(mail.messageId).toBe(`<a${created.id}.c${ids[0]}@localhost>`);
    expect(headerOf(mail.raw, 'List-Unsubscribe')).toMatch(
      /^<https:\/\/herald\.example\/u\/[\w-]+\.[\w-]+>$/,
    );
    expect(headerOf(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.raw).toContain('herald.example/u/');
    // The merged value arrives as text in the HTML part, never as markup.
    const evilMail = mailsTo(evil)[0]!.raw;
    expect(evilMail).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(evilMail).not.toContain('<p>Hi <script>');

    expect((await ledger(created.id)).map((r) => [r.contactId, r.status, r.reason])).toEqual([
      [ids[0], 'sent', null],
      [ids[1], 'sent', null],
      [ids[2], 'skipped', 'no_consent'],
      [ids[3], 'skipped', 'undeliverable'],
      [ids[4], 'skipped', 'no_address'],
      [ids[5], 'skipped', 'invalid_address'],
      [missing[0], 'sent', null],
    ]);

    const results = await t.client.request('GET', `${t.base}/bulk-actions/${created.id}/deliveries?lang=de`);
    expect(results.statusCode, results.body).toBe(200);
    const r = results.json<DeliveryResults>();
    expect(r.channel).toBe('email');
    expect(r.counts).toMatchObject({ sent: 3, skipped: 4, queued: 0, failed: 0 });
    expect(r.reasons.find((x) => x.reason === 'no_consent')).toMatchObject({
      status: 'skipped',
      count: 1,
      label: 'Keine Einwilligung (abgemeldet)',
    });

    const page1 = await t.client.request('GET', `${t.base}/bulk-actions/${created.id}/messages?limit=4`);
    expect(page1.statusCode, page1.body).toBe(200);
    const p1 = page1.json<{ items: LedgerMessage[]; nextCursor: string | null }>();
    expect(p1.items).toHaveLength(4);
    const page2 = await t.client.request(
      'GET',
      `${t.base}/bulk-actions/${created.id}/messages?limit=4&cursor=${p1.nextCursor}`,
    );
    const p2 = page2.json<{ items: LedgerMessage[]; nextCursor: string | null }>();
    expect(p2.items).toHaveLength(3);
    expect(p2.nextCursor).toBeNull();
    const sentOnly = await t.client.request(
      'GET',
      `${t.base}/bulk-actions/${created.id}/messages?status=sent`,
    );
    expect(sentOnly.json<{ items: LedgerMessage[] }>().items.map((m) => m.address)).toEqual([
      ok,
      evil,
      expect.any(String),
    ]);
  });

  it('retries 4xx and dropped connections; a 5xx is a hard bounce that stops later sends to the address', async () => {
    const t = await tenant();
    const greylisted = addr('grey');
    const dropped = addr('drop');
    const gone = addr('gone');
    smtp.temporary(greylisted, 2);
    smtp.drop(dropped, 1);
    smtp.permanent(gone);
    const ids = await contacts(t.accountId, [{ email: greylisted }, { email: dropped }, { email: gone }]);
    const created = await start(t, emailBody(ids));
    const done = await sendAll(t, created.id);
    expect(done).toMatchObject({ status: 'completed', succeeded: 2, failed: 1 });
    expect(mailsTo(greylisted)).toHaveLength(1);
    expect(smtp.attempts.get(greylisted)).toBe(3);
    expect(mailsTo(dropped)).toHaveLength(1);
    expect(smtp.attempts.get(dropped)).toBe(2);
    expect(mailsTo(gone)).toHaveLength(0);
    const rowsOf = await ledger(created.id);
    expect(rowsOf.find((r) => r.contactId === ids[2])).toMatchObject({
      status: 'bounced',
      bounceType: 'hard',
      reason: 'hard_bounce',
    });
    const [state] = await rows<{ state: string }>(
      db(),
      sql`SELECT state FROM address_deliverability WHERE account_id = ${t.accountId} AND address = ${gone}`,
    );
    expect(state?.state).toBe('hard_bounced');
    const results = (
      await t.client.request('GET', `${t.base}/bulk-actions/${created.id}/deliveries`)
    ).json<DeliveryResults>();
    expect(results.bounced).toEqual({ hard: 1, soft: 0 });
    expect(results.reasons).toContainEqual(
      expect.objectContaining({ reason: 'hard_bounce', status: 'bounced', count: 1 }),
    );
    // The send finished with a failure: the bulk-action notification was raised.
    const notes = await rows<{ type: string }>(
      db(),
      sql`SELECT type FROM notifications WHERE account_id = ${t.accountId} AND subject_id = ${created.id}`,
    );
    expect(notes.map((n) => n.type)).toEqual(['bulk_action.finished_with_errors']);

    // A second send skips the bounced address.
    const again = await start(t, emailBody([ids[2]!], { confirmEmpty: true }));
    expect(await sendAll(t, again.id)).toMatchObject({ skipped: 1, succeeded: 0 });
    expect(smtp.attempts.get(gone)).toBe(1);
  });

  it('a refused sender fails the message without marking the address undeliverable', async () => {
    const t = await tenant();
    const sender = addr('blocked-sender');
    smtp.refuseSender(sender);
    const profile = await t.client.request('POST', `${t.base}/sender-profiles`, {
      name: 'Blocked',
      fromName: 'Blocked',
      fromAddress: sender,
    });
    expect(profile.statusCode, profile.body).toBe(201);
    const to = addr('innocent');
    const ids = await contacts(t.accountId, [{ email: to }]);
    const created = await start(t, emailBody(ids, { senderProfileId: profile.json<{ id: string }>().id }));
    expect(await sendAll(t, created.id)).toMatchObject({ status: 'completed', failed: 1 });
    expect(mailsTo(to)).toHaveLength(0);
    expect((await ledger(created.id))[0]).toMatchObject({ status: 'failed', reason: 'smtp_rejected' });
    const marks = await rows<{ state: string }>(
      db(),
      sql`SELECT state FROM address_deliverability WHERE account_id = ${t.accountId} AND address = ${to}`,
    );
    expect(marks).toEqual([]);
  });

  it('fails a message after its last retry with retries_exhausted', async () => {
    const t = await tenant();
    const always = addr('always');
    smtp.temporary(always, 100);
    const ids = await contacts(t.accountId, [{ email: always }]);
    const created = await start(t, emailBody(ids));
    const done = await sendAll(t, created.id);
    expect(done).toMatchObject({ status: 'completed', failed: 1 });
    expect(await ledger(created.id)).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'retries_exhausted' }),
    ]);

    // Retry failed: a new send of the same content to the failed recipients only.
    smtp.temporary(always, 0);
    const retry = await t.client.request('POST', `${t.base}/bulk-actions/${created.id}/retry-failed`);
    expect(retry.statusCode, retry.body).toBe(201);
    const again = retry.json<BulkAction>();
    expect(again).toMatchObject({ type: 'bulk_email', sourceActionId: created.id });
    expect(await sendAll(t, again.id)).toMatchObject({ status: 'completed', total: 1, succeeded: 1 });
    expect(await ledger(again.id)).toEqual([expect.objectContaining({ contactId: ids[0], status: 'sent' })]);
    expect(mailsTo(always)).toHaveLength(1);
  });

  it('checks again right before each send: an opt-out, a bounce, a new address or a delete after planning stop it', async () => {
    const t = await tenant();
    const people = ['stays', 'optout', 'bounce', 'moved', 'gone'].map((p) => ({ email: addr(p) }));
    const ids = await contacts(t.accountId, people);
    const created = await start(t, emailBody(ids));
    // Planned (ledger queued, deliveries pending) ...
    await h.services.bulkRunner.run(Number(created.id));
    expect((await ledger(created.id)).every((r) => r.status === 'queued')).toBe(true);
    // ... then, before anything went out, the recipients change.
    await db().execute(sql`UPDATE contacts SET email_consent = 'unsubscribed' WHERE id = ${ids[1]!}`);
    await db().execute(sql`INSERT INTO address_deliverability (account_id, channel, address, state)
                           VALUES (${t.accountId}, 'email', ${people[2]!.email}, 'hard_bounced')`);
    await db().execute(sql`UPDATE contacts SET email = ${addr('new-home')} WHERE id = ${ids[3]!}`);
    await db().execute(sql`UPDATE contacts SET deleted_at = now() WHERE id = ${ids[4]!}`);
    expect(await sendAll(t, created.id)).toMatchObject({ status: 'completed', succeeded: 1 });
    expect(mailsTo(people[0]!.email)).toHaveLength(1);
    for (const p of people.slice(1)) expect(mailsTo(p.email)).toHaveLength(0);
    const byContact = new Map((await ledger(created.id)).map((r) => [r.contactId, r.reason]));
    expect(ids.slice(1).map((id) => byContact.get(id))).toEqual([
      'no_consent',
      'undeliverable',
      'address_changed',
      'contact_deleted',
    ]);
  });

  it('pause: nothing is claimed while paused; resume sends the rest, each once', async () => {
    const t = await tenant();
    const list = Array.from({ length: 6 }, () => ({ email: addr('p') }));
    const ids = await contacts(t.accountId, list);
    const created = await start(t, emailBody(ids));
    await h.services.bulkRunner.run(Number(created.id));
    const paused = await t.client.request('POST', `${t.base}/bulk-actions/${created.id}/pause`);
    expect(paused.statusCode, paused.body).toBe(200);
    await h.services.deliveries.run(5_000);
    for (const c of list) expect(mailsTo(c.email)).toHaveLength(0);
    expect((await action(t, created.id)).status).toBe('paused');

    const resumed = await t.client.request('POST', `${t.base}/bulk-actions/${created.id}/resume`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(await sendAll(t, created.id)).toMatchObject({ status: 'completed', succeeded: 6 });
    for (const c of list) expect(mailsTo(c.email)).toHaveLength(1);
  });

  it('cancel: nothing is sent afterwards and the ledger says cancelled', async () => {
    const t = await tenant();
    const list = Array.from({ length: 4 }, () => ({ email: addr('c') }));
    const ids = await contacts(t.accountId, list);
    const created = await start(t, emailBody(ids));
    await h.services.bulkRunner.run(Number(created.id));
    const cancelled = await t.client.request('POST', `${t.base}/bulk-actions/${created.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await h.services.deliveries.run(5_000);
    for (const c of list) expect(mailsTo(c.email)).toHaveLength(0);
    expect((await ledger(created.id)).map((r) => [r.status, r.reason])).toEqual(
      ids.map(() => ['cancelled', 'cancelled']),
    );
    const results = (
      await t.client.request('GET', `${t.base}/bulk-actions/${created.id}/deliveries`)
    ).json<DeliveryResults>();
    expect(results.counts.cancelled).toBe(4);
  });

  it('a scheduled send starts at its time; editing the schedule moves the start', async () => {
    const t = await tenant();
    const ids = await contacts(t.accountId, [{ email: addr('s') }]);
    const now = h.clock.now();
    const at = new Date(now.getTime() + 3_600_000).toISOString();
    const created = await start(t, emailBody(ids, { scheduledFor: at }));
    // Frozen, then waiting for its time.
    await h.services.bulkRunner.run(Number(created.id));
    expect(await action(t, created.id)).toMatchObject({ status: 'queued', scheduledFor: at });
    expect(await h.services.bulkRunner.findRunnable()).not.toContain(Number(created.id));
    const later = new Date(now.getTime() + 2 * 3_600_000).toISOString();
    const edited = await t.client.request('POST', `${t.base}/bulk-actions/${created.id}/schedule`, {
      scheduledFor: later,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    h.clock.advance(90 * 60_000);
    expect(await h.services.bulkRunner.findRunnable()).not.toContain(Number(created.id));
    h.clock.advance(31 * 60_000);
    expect(await h.services.bulkRunner.findRunnable()).toContain(Number(created.id));
    expect(await sendAll(t, created.id)).toMatchObject({ status: 'completed', succeeded: 1 });
  });

  it('drip: batches are due the interval apart and go out batch by batch', async () => {
    // Herald's clock at real time: the dispatcher claims what is due by the real time.
    h.clock.set(new Date());
    const t = await tenant();
    const list = Array.from({ length: 5 }, () => ({ email: addr('d') }));
    const ids = await contacts(t.accountId, list);
    const created = await start(t, emailBody(ids, { drip: { batchSize: 2, intervalMinutes: 60 } }));
    await h.services.bulkRunner.run(Number(created.id));
    const due = await rows<{ seq: number; due: string }>(
      db(),
      sql`SELECT seq, due_at::text AS due FROM deliveries WHERE action_id = ${Number(created.id)} ORDER BY seq`,
    );
    const times = due.map((d) => new Date(d.due).getTime());
    expect(times[1]).toBe(times[0]);
    expect(times[2]! - times[0]!).toBe(3_600_000);
    expect(times[3]).toBe(times[2]);
    expect(times[4]! - times[2]!).toBe(3_600_000);
    // Only the first batch is due now.
    await h.services.deliveries.run(5_000);
    expect(list.map((c) => mailsTo(c.email).length)).toEqual([1, 1, 0, 0, 0]);
    // An hour on: the second batch.
    await db().execute(
      sql`UPDATE deliveries SET due_at = due_at - interval '60 minutes' WHERE action_id = ${Number(created.id)} AND status = 'pending'`,
    );
    await h.services.deliveries.run(5_000);
    expect(list.map((c) => mailsTo(c.email).length)).toEqual([1, 1, 1, 1, 0]);
  });

  it('Idempotency-Key: the same key and body answer the same action; another body is 409', async () => {
    const t = await tenant();
    const ids = await contacts(t.accountId, [{ email: addr('i') }, { email: addr('i') }]);
    const headers = { 'idempotency-key': `send-${label}` };
    const first = await start(t, emailBody(ids), headers);
    const again = await t.client.request('POST', `${t.base}/messaging/sends`, emailBody(ids), headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<BulkAction>().id).toBe(first.id);
    const other = await t.client.request('POST', `${t.base}/messaging/sends`, emailBody([ids[0]!]), headers);
    expect(other.statusCode).toBe(409);
    const [n] = await rows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM bulk_actions WHERE account_id = ${t.accountId} AND type = 'bulk_email'`,
    );
    expect(n?.n).toBe(1);
  });

  it('refuses bad input with clear codes', async () => {
    const t = await tenant();
    const ids = await contacts(t.accountId, [{ email: addr('b'), consent: 'unsubscribed' }]);
    const post = (body: unknown) => t.client.request('POST', `${t.base}/messaging/sends`, body);
    const empty = await post(emailBody(ids));
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      error: { code: 'NO_RECIPIENTS', details: { preview: { count: 1, sendable: 0 } } },
    });
    expect((await post(emailBody(ids, { confirmEmpty: true }))).statusCode).toBe(201);

    const syntax = await post({ ...emailBody(ids), content: { subject: 'x', html: '{% if %}' } });
    expect(syntax.json()).toMatchObject({ error: { code: 'TEMPLATE_INVALID' } });
    const unknownField = await post({
      ...emailBody(ids),
      content: { subject: 'x', html: '{{ shoe_size }}' },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json()).toMatchObject({
      error: { code: 'TEMPLATE_INVALID', details: { fields: ['shoe_size'] } },
    });
    const noTemplate = await post({ ...emailBody(ids), content: undefined, templateId: '999999' });
    expect(noTemplate.statusCode).toBe(404);
    const noProfile = await post(emailBody(ids, { senderProfileId: '999999' }));
    expect(noProfile.statusCode).toBe(404);
    const [tpl] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO message_templates (account_id, channel, name, text_body) VALUES (${t.accountId}, 'sms', 'Hi', 'Hi')
          RETURNING id`,
    );
    const wrongChannel = await post({ ...emailBody(ids), content: undefined, templateId: String(tpl!.id) });
    expect(wrongChannel.statusCode).toBe(400);
    expect(wrongChannel.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const sms = await post({
      channel: 'sms',
      selection: { contactIds: ids.map(String) },
      content: { text: 'Hi' },
    });
    expect(sms.statusCode).toBe(400);
    expect(sms.json()).toMatchObject({ error: { code: 'CHANNEL_NOT_CONFIGURED' } });
  });

  it("another account's send answers 404 on every route", async () => {
    const a = await tenant();
    const b = await tenant();
    const ids = await contacts(a.accountId, [{ email: addr('t') }]);
    const created = await start(a, emailBody(ids));
    for (const path of ['deliveries', 'messages']) {
      const res = await b.client.request('GET', `${b.base}/bulk-actions/${created.id}/${path}`);
      expect(res.statusCode, path).toBe(404);
      // Nor through the other account's path with the foreign user.
      const cross = await b.client.request('GET', `${a.base}/bulk-actions/${created.id}/${path}`);
      expect([403, 404]).toContain(cross.statusCode);
    }
    // A selection of another account's contacts is refused.
    const foreign = await b.client.request('POST', `${b.base}/messaging/preview`, emailBody(ids));
    expect(foreign.statusCode).toBe(404);
    const send = await b.client.request('POST', `${b.base}/messaging/sends`, emailBody(ids));
    expect(send.statusCode).toBe(404);
  });
});
