// The guards that keep a mailing family's promise ("nobody twice") and a mailing's state honest,
// against a real SMTP server on loopback: a sent mailing cannot be deleted, a mailing's action
// cannot be retried outside its family, a scheduled mailing cannot be edited into an incomplete
// one, the start re-checks the mailing under its row lock, slots out of range or in the past are
// 400, a send that stopped after reaching some ends sent, foreign ids are 404, the counts agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { mailingKit, type MailingTenant } from '../../../../test/helpers/mailings.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { findAction } from '../../engine/actions.repo.ts';
import * as repo from './mailings.repo.ts';
import type { Mailing } from '../../../shared/mailings.ts';

describe(`mailing integrity (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: BulkSmtp;
  const kit = mailingKit(() => h);
  const db = () => kit.db();

  beforeAll(async () => {
    smtp = await startBulkSmtp();
    h = await createHarness({ env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: 'https://herald.example' } });
  });
  afterAll(async () => {
    h.services.channels.close();
    await h.close();
    await smtp.close();
  });

  const mailsTo = (address: string) => smtp.accepted.filter((m) => m.to === address.toLowerCase());
  const codeOf = (res: { json<T>(): T }) => res.json<{ error: { code: string; details?: unknown } }>().error;

  /** A tenant with a default sender, a list of `n` subscribed contacts (addresses returned). */
  async function setup(n: number) {
    const t = await kit.tenant();
    await kit.senderProfile(t.accountId);
    const addresses = Array.from({ length: n }, (_, i) => kit.addr(`r${i}`));
    const contacts: number[] = [];
    for (const email of addresses) contacts.push(await kit.contact(t.accountId, { email, group: 'B' }));
    const list = await kit.list(t.accountId, contacts);
    return { t, addresses, contacts, list };
  }

  const call = (t: MailingTenant, method: string, path: string, body?: unknown) =>
    t.client.request(method as 'GET', `${t.base}/mailings${path}`, body);
  const post = (t: MailingTenant, path: string, body: unknown = {}) => call(t, 'POST', path, body);

  it('a mailing that was sent cannot be deleted (409), so its re-send still reaches nobody twice', async () => {
    const { t, list, addresses } = await setup(2);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');
    const resend = (await post(t, `/${m.id}/resend`, {})).json<Mailing>();

    const refused = await call(t, 'DELETE', `/${m.id}`);
    expect(refused.statusCode).toBe(409);
    expect(codeOf(refused)).toMatchObject({ code: 'MAILING_BUSY', details: { status: 'sent' } });
    expect((await kit.getMailing(t, m.id)).status).toBe('sent');
    // The family still remembers both addresses: the re-send has nobody left.
    const s = await post(t, `/${resend.id}/schedule`, { confirmEmpty: true });
    expect(s.statusCode, s.body).toBe(200);
    await kit.sendAll(t, resend.id);
    expect(addresses.map((a) => mailsTo(a).length)).toEqual([1, 1]);

    // A draft and a mailing cancelled before its slot (no action) can still be deleted.
    const draft = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await call(t, 'DELETE', `/${draft.id}`)).statusCode).toBe(204);
    const later = await kit.createMailing(t, { listIds: [String(list)] });
    expect(
      (await post(t, `/${later.id}/schedule`, { scheduledFor: '2099-01-01T10:00:00Z' })).statusCode,
    ).toBe(200);
    expect((await post(t, `/${later.id}/cancel`)).statusCode).toBe(200);
    expect((await call(t, 'DELETE', `/${later.id}`)).statusCode).toBe(204);
  });

  it("a mailing's action offers no retry of the failed; the re-send with includeFailed is the way", async () => {
    const { t, list, addresses } = await setup(2);
    const flaky = addresses[1]!;
    smtp.temporary(flaky.toLowerCase(), 50);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    const ended = await kit.sendAll(t, m.id);
    expect(ended.status).toBe('sent');
    expect(ended.figures?.failed).toBe(1);
    smtp.temporary(flaky.toLowerCase(), 0);

    const action = await t.client.request('GET', `${t.base}/bulk-actions/${ended.actionId}`);
    expect(action.statusCode, action.body).toBe(200);
    expect(action.json<{ controls: string[] }>().controls).not.toContain('retry_failed');
    const retry = await t.client.request('POST', `${t.base}/bulk-actions/${ended.actionId}/retry-failed`, {});
    expect(retry.statusCode).toBe(409);
    expect(codeOf(retry)).toMatchObject({ code: 'CONFLICT', details: { control: 'retry_failed' } });

    const resend = (await post(t, `/${m.id}/resend`, { includeFailed: true })).json<Mailing>();
    expect((await post(t, `/${resend.id}/schedule`, {})).statusCode).toBe(200);
    expect(await kit.sendAll(t, resend.id)).toMatchObject({ status: 'sent', recipientsAtSend: 1 });
    expect(addresses.map((a) => mailsTo(a).length)).toEqual([1, 1]);
  });

  it('a scheduled mailing cannot be edited into an incomplete one, nor by someone who may not send', async () => {
    const { t, list } = await setup(1);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, { scheduledFor: '2099-01-01T10:00:00Z' })).statusCode).toBe(
      200,
    );

    const emptied = await call(t, 'PATCH', `/${m.id}`, { listIds: [] });
    expect(emptied.statusCode).toBe(400);
    expect(codeOf(emptied)).toMatchObject({ code: 'MAILING_INCOMPLETE', details: { missing: ['audience'] } });
    const noContent = await call(t, 'PATCH', `/${m.id}`, { subject: null, html: null });
    expect(codeOf(noContent)).toMatchObject({
      code: 'MAILING_INCOMPLETE',
      details: { missing: ['content'] },
    });
    expect((await kit.getMailing(t, m.id)).lists).toHaveLength(1);
    // A complete edit is fine.
    expect((await call(t, 'PATCH', `/${m.id}`, { subject: 'New subject' })).statusCode).toBe(200);

    // A manager without messaging.send (no built-in role is one: the service is asked as such a user).
    const ownerId = Number(
      (await rows<{ id: number }>(db(), sql`SELECT id FROM users WHERE email = ${t.users.owner}`))[0]!.id,
    );
    const granted = (await h.services.access.accessTo(ownerId, asAccountId(t.accountId)))!;
    const rights = new Set([...granted.rights].filter((r) => r !== 'messaging.send'));
    const manager = { access: { ...granted, rights }, userId: ownerId, language: 'en' as const };
    await expect(
      h.services.mailings.update(manager, Number(m.id), { subject: 'Sneaky' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { right: 'messaging.send' },
    });
    const draft = await kit.createMailing(t, { listIds: [String(list)] });
    expect(await h.services.mailings.update(manager, Number(draft.id), { subject: 'Ok' })).toMatchObject({
      subject: 'Ok',
    });
    expect((await kit.getMailing(t, m.id)).subject).toBe('New subject');

    // At the slot it still sends what was scheduled, complete.
    const due = new Date(h.clock.now().getTime() - 1000);
    await db().execute(sql`UPDATE mailings SET scheduled_for = ${due} WHERE id = ${Number(m.id)}`);
    expect(await h.services.mailings.sends.tick()).toBe(1);
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');
  });

  it('the start re-checks the mailing: not due, held or cancelled → 409, never started nor failed', async () => {
    const { t, list } = await setup(1);
    const sends = h.services.mailings.sends;
    const later = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, { scheduledFor: later })).statusCode).toBe(200);
    // Rescheduled into the future after the scheduler listed it: not due any more.
    await expect(sends.start(asAccountId(t.accountId), Number(m.id), 'scheduler')).rejects.toMatchObject({
      code: 'MAILING_BUSY',
    });
    expect(await kit.getMailing(t, m.id)).toMatchObject({ status: 'scheduled', actionId: null });

    // Held, its slot passed, and its scheduler lost the right: stays held, not failed, nobody told.
    expect((await post(t, `/${m.id}/pause`)).statusCode).toBe(200);
    const due = new Date(h.clock.now().getTime() - 1000);
    await db().execute(
      sql`UPDATE mailings SET scheduled_by = NULL, created_by = NULL, scheduled_for = ${due} WHERE id = ${Number(m.id)}`,
    );
    await expect(sends.start(asAccountId(t.accountId), Number(m.id), 'scheduler')).rejects.toMatchObject({
      code: 'MAILING_BUSY',
    });
    expect(await kit.getMailing(t, m.id)).toMatchObject({
      status: 'scheduled',
      held: true,
      failureReason: null,
    });

    // Edited after the start read it (another updated_at): neither startable nor failed.
    const read = (await repo.findMailing(db(), t.accountId, Number(m.id)))!;
    await db().execute(sql`UPDATE mailings SET held = false WHERE id = ${Number(m.id)}`);
    const stale: repo.StartGuard = { status: 'scheduled', updatedAt: read.updatedAt, dueBy: h.clock.now() };
    expect(repo.startable({ ...read, held: false }, stale)).toBe(true);
    const edited = new Date(new Date(read.updatedAt).getTime() + 1000);
    await db().execute(sql`UPDATE mailings SET updated_at = ${edited} WHERE id = ${Number(m.id)}`);
    const now = (await repo.findMailing(db(), t.accountId, Number(m.id)))!;
    expect(repo.startable(now, stale)).toBe(false);
    const failure = { reason: 'send_error', detail: 'stale', recipients: 0 };
    expect(await repo.markFailed(db(), t.accountId, Number(m.id), failure, h.clock.now(), stale)).toBeNull();
    expect((await kit.getMailing(t, m.id)).status).toBe('scheduled');
    await db().execute(sql`UPDATE mailings SET held = true WHERE id = ${Number(m.id)}`);

    // Cancelled: neither started nor failed.
    expect((await post(t, `/${m.id}/cancel`)).statusCode).toBe(200);
    await expect(sends.start(asAccountId(t.accountId), Number(m.id), 'scheduler')).rejects.toMatchObject({
      code: 'MAILING_BUSY',
    });
    expect(await kit.getMailing(t, m.id)).toMatchObject({ status: 'cancelled', actionId: null });
    expect(await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id)).toHaveLength(0);
  });

  it('a slot more than a minute in the past or after 9999 is 400 on schedule and reschedule, never a 500', async () => {
    const { t, list } = await setup(1);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const past = new Date(h.clock.now().getTime() - 5 * 60_000).toISOString();
    for (const at of [past, '9999-12-31T23:59:59-05:00']) {
      const res = await post(t, `/${m.id}/schedule`, { scheduledFor: at });
      expect(res.statusCode, res.body).toBe(400);
      expect(codeOf(res)).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'scheduledFor' }] },
      });
    }
    expect(codeOf(await post(t, `/${m.id}/schedule`, { scheduledFor: past }))).toMatchObject({
      details: { fields: [{ message: 'the slot is in the past' }] },
    });
    // The latest instant itself, and a slot just now (the request's own minute), are fine.
    const now = new Date(h.clock.now().getTime() - 10_000).toISOString();
    expect((await post(t, `/${m.id}/schedule`, { scheduledFor: '9999-12-31T23:59:59Z' })).statusCode).toBe(
      200,
    );
    for (const at of [past, '9999-12-31T23:59:59-05:00'])
      expect((await post(t, `/${m.id}/reschedule`, { scheduledFor: at })).statusCode).toBe(400);
    expect((await post(t, `/${m.id}/reschedule`, { scheduledFor: now })).statusCode).toBe(200);
    expect((await kit.getMailing(t, m.id)).scheduledFor).toBe(now);
  });

  it('a send that stopped after reaching some ends sent, saying why; the engine tells its own failure', async () => {
    const { t, list } = await setup(2);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    const sent = await kit.sendAll(t, m.id);
    expect(sent.status).toBe('sent');
    // As if a step had kept failing after both were sent: the engine's failure hook runs.
    await db().execute(
      sql`UPDATE mailings SET status = 'scheduled', finished_at = NULL WHERE id = ${Number(m.id)}`,
    );
    const action = (await findAction(db(), asAccountId(t.accountId), Number(sent.actionId)))!;
    const answer = await h.services.mailings.sends.hooks().onFailed!(db(), action, 'send_error', new Date());
    expect(answer).toBeUndefined();
    const after = await kit.getMailing(t, m.id);
    expect(after).toMatchObject({ status: 'sent', failureReason: null, recipientsAtSend: 2 });
    expect(after.failureDetail).toContain('send_error');
    expect(await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id)).toHaveLength(0);
  });

  it('recipients at send counts distinct addresses, and 0 when the freeze found nobody', async () => {
    const { t, list, addresses } = await setup(2);
    const twin = await kit.contact(t.accountId, { email: ` ${addresses[0]!.toUpperCase()} ` });
    await db().execute(
      sql`INSERT INTO list_members (account_id, list_id, contact_id) VALUES (${t.accountId}, ${list}, ${twin})`,
    );
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    expect(await kit.sendAll(t, m.id)).toMatchObject({ status: 'sent', recipientsAtSend: 2 });

    // Started with one recipient, who unsubscribed before the freeze.
    const other = await setup(1);
    const empty = await kit.createMailing(other.t, { listIds: [String(other.list)] });
    expect((await post(other.t, `/${empty.id}/schedule`, {})).statusCode).toBe(200);
    await db().execute(
      sql`UPDATE contacts SET email_consent = 'unsubscribed' WHERE id = ${other.contacts[0]!}`,
    );
    expect(await kit.sendAll(other.t, empty.id)).toMatchObject({
      status: 'failed',
      failureReason: 'no_recipients',
      recipientsAtSend: 0,
    });
    const told = await kit.notificationsOf(other.t.accountId, 'mailing.send_failed', empty.id);
    expect(told.map((n) => n.params.recipientCount)).toEqual([0]);
  });

  it('the statistics show the same status as the mailing, from the one status expression', async () => {
    const { t, list } = await setup(1);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');
    // An ended action whose mailing the hooks did not finalise reads as the action ended.
    await db().execute(sql`UPDATE mailings SET status = 'scheduled' WHERE id = ${Number(m.id)}`);
    const stats = await t.client.request('GET', `${t.base}/mailings/${m.id}/statistics`);
    expect(stats.statusCode, stats.body).toBe(200);
    expect((await kit.getMailing(t, m.id)).status).toBe('sent');
    expect(stats.json<{ status: string }>().status).toBe('sent');
  });
});
