// The send of a standard mailing against a real SMTP server on loopback: 0 recipients and all
// rejected → failed and told exactly once (in the app and by email), the pre-flight warning, the
// corrected re-send that never reaches anyone twice, parts deleted after scheduling, and the
// scheduling user losing the right to send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { mailingKit, type MailingTenant } from '../../../../test/helpers/mailings.ts';
import { TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { findAction } from '../../engine/actions.repo.ts';
import { upsertMembership } from '../users/users.repo.ts';
import type { AudienceCount, Mailing } from '../../../shared/mailings.ts';

describe(`mailing sends (${ENGINE})`, () => {
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

  const userId = async (email: string) =>
    Number((await rows<{ id: number }>(db(), sql`SELECT id FROM users WHERE email = ${email}`))[0]!.id);
  const mailsTo = (address: string) => smtp.accepted.filter((m) => m.to === address.toLowerCase());

  /** A tenant with a default sender, a list of `n` subscribed contacts (addresses returned). */
  async function setup(n: number, group = 'B') {
    const t = await kit.tenant();
    await kit.senderProfile(t.accountId);
    const addresses = Array.from({ length: n }, (_, i) => kit.addr(`r${i}`));
    const contacts: number[] = [];
    for (const email of addresses) contacts.push(await kit.contact(t.accountId, { email, group }));
    const list = await kit.list(t.accountId, contacts);
    return { t, addresses, contacts, list };
  }

  const post = (t: MailingTenant, path: string, body: unknown = {}) =>
    t.client.request('POST', `${t.base}/mailings${path}`, body);

  it('a send with 0 recipients fails with no_recipients and is told exactly once, in the app and by email', async () => {
    const { t, list } = await setup(2, 'B');
    const empty = await kit.targetGroup(t.accountId, 'nobody');
    await db().execute(sql`UPDATE users SET email_system_messages = true WHERE email = ${t.users.owner}`);
    const m = await kit.createMailing(t, { listIds: [String(list)], targetGroupIds: [String(empty)] });

    const refused = await post(t, `/${m.id}/schedule`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'NO_RECIPIENTS',
        details: { audience: { listMembers: 2, inTargetGroups: 0, recipients: 0 } },
      },
    });
    const started = await post(t, `/${m.id}/schedule`, { confirmEmpty: true });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json<Mailing>().status).toBe('sending');

    const ended = await kit.sendAll(t, m.id);
    expect(ended).toMatchObject({ status: 'failed', failureReason: 'no_recipients', recipientsAtSend: 0 });
    const told = await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id);
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({
      mailing: { id: m.id, name: m.name },
      subscriberLists: [{ id: String(list) }],
      targetGroups: [{ id: String(empty), name: expect.stringContaining('Group nobody') }],
      recipientCount: 0,
      reason: 'no_recipients',
    });
    // To the users with notifications.view; the engine's own "finished" notification is not raised.
    const recipients = await rows<{ email: string }>(
      db(),
      sql`SELECT u.email FROM notification_recipients r JOIN users u ON u.id = r.user_id
          WHERE r.notification_id = ${told[0]!.id} ORDER BY u.email`,
    );
    expect(recipients.map((r) => r.email)).toEqual(
      [t.users.admin, t.users.analyst, t.users.marketer, t.users.observer, t.users.owner].sort(),
    );
    const engineNotes = await rows(
      db(),
      sql`SELECT 1 FROM notifications WHERE account_id = ${t.accountId} AND type LIKE 'bulk_action.%'`,
    );
    expect(engineNotes).toHaveLength(0);
    // The email copy to the owner, who opted in, and to nobody else.
    await h.services.deliveries.run(10_000);
    const copies = smtp.accepted.filter((x) => x.raw.includes(m.name));
    expect(copies.map((c) => c.to)).toEqual([t.users.owner.toLowerCase()]);
    expect(copies[0]!.raw.replace(/=\r?\n/g, '')).toContain('reached no recipient');

    // The end path again (a repeated hook, a crash and redo): still one notification.
    const action = await findAction(db(), asAccountId(t.accountId), Number(ended.actionId));
    await h.services.mailings.sends.hooks().onEnded!(db(), action!, new Date(), 'completed');
    await expect(
      h.services.mailings.sends.fail(
        asAccountId(t.accountId),
        Number(m.id),
        { reason: 'send_error', detail: 'again' },
        { status: 'draft', updatedAt: ended.updatedAt, dueBy: null },
      ),
    ).rejects.toMatchObject({ code: 'MAILING_BUSY' });
    expect(await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id)).toHaveLength(1);
    expect((await kit.getMailing(t, m.id)).failureReason).toBe('no_recipients');
  });

  it('every message rejected by the server (5xx) → failed, all_failed, told once', async () => {
    const { t, list, addresses } = await setup(2);
    for (const a of addresses) smtp.permanent(a);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    const ended = await kit.sendAll(t, m.id);
    expect(ended).toMatchObject({ status: 'failed', failureReason: 'all_failed', recipientsAtSend: 2 });
    expect(ended.figures).toMatchObject({ sent: 0, bounced: 2 });
    const told = await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id);
    expect(told.map((n) => n.params.reason)).toEqual(['all_failed']);
    expect(told[0]!.params.recipientCount).toBe(2);
  });

  it('sends to the audience frozen at the start and ends sent, with figures', async () => {
    const { t, list, addresses } = await setup(3);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    // Joins after the start: not part of this send.
    const late = kit.addr('late');
    await db().execute(sql`INSERT INTO list_members (account_id, list_id, contact_id)
      VALUES (${t.accountId}, ${list}, ${await kit.contact(t.accountId, { email: late })})`);
    await h.services.bulkRunner.run(Number((await kit.getMailing(t, m.id)).actionId));
    const ended = await kit.sendAll(t, m.id);
    expect(ended).toMatchObject({ status: 'sent', recipientsAtSend: 3, failureReason: null });
    expect(ended.figures).toMatchObject({ sent: 3, failed: 0 });
    for (const a of addresses) expect(mailsTo(a)).toHaveLength(1);
    expect(mailsTo(late)).toHaveLength(0);
    const page = (await t.client.request('GET', `${t.base}/mailings?status=sent`)).json<{
      items: Mailing[];
    }>();
    expect(page.items.map((i) => i.id)).toEqual([m.id]);
  });

  it('pre-flight: a scheduled mailing with 0 recipients warns once inside the window; a non-empty one does not', async () => {
    const { t, list } = await setup(1);
    const none = await kit.targetGroup(t.accountId, 'none');
    const empty = await kit.createMailing(t, { listIds: [String(list)], targetGroupIds: [String(none)] });
    const full = await kit.createMailing(t, { listIds: [String(list)] });
    const slot = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    for (const m of [empty, full]) {
      const res = await post(t, `/${m.id}/schedule`, { scheduledFor: slot, confirmEmpty: true });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Mailing>()).toMatchObject({ status: 'scheduled', scheduledFor: slot, preflight: null });
    }
    await h.services.mailings.sends.tick();
    expect(await kit.notificationsOf(t.accountId, 'mailing.preflight_empty', empty.id)).toHaveLength(0);

    h.clock.advance(50 * 60_000); // 10 minutes before the slot
    await h.services.mailings.sends.tick();
    await h.services.mailings.sends.tick();
    const warned = await kit.notificationsOf(t.accountId, 'mailing.preflight_empty', empty.id);
    expect(warned).toHaveLength(1);
    expect(warned[0]!.params).toMatchObject({ recipientCount: 0, scheduledFor: slot });
    expect(await kit.notificationsOf(t.accountId, 'mailing.preflight_empty', full.id)).toHaveLength(0);
    expect((await kit.getMailing(t, full.id)).preflight).toMatchObject({ count: 1 });
    const [severity] = await rows<{ severity: string }>(
      db(),
      sql`SELECT severity FROM notifications WHERE id = ${warned[0]!.id}`,
    );
    expect(severity!.severity).toBe('warning');
    // Fixing the audience forgets the pre-flight; the next count finds recipients and stays quiet.
    const fixed = await t.client.request('PATCH', `${t.base}/mailings/${empty.id}`, { targetGroupIds: [] });
    expect(fixed.json<Mailing>().preflight).toBeNull();
    await h.services.mailings.sends.tick();
    expect((await kit.getMailing(t, empty.id)).preflight).toMatchObject({ count: 1 });
    expect(await kit.notificationsOf(t.accountId, 'mailing.preflight_empty', empty.id)).toHaveLength(1);

    // At the slot the scheduler starts both.
    h.clock.advance(11 * 60_000);
    await h.services.mailings.sends.tick();
    expect((await kit.getMailing(t, full.id)).status).toBe('sending');
    expect((await kit.sendAll(t, full.id)).status).toBe('sent');
    expect((await kit.sendAll(t, empty.id)).status).toBe('sent');
  });

  it('a corrected re-send reaches exactly the unreached; includeFailed adds the failed; nobody gets it twice', async () => {
    const { t, list, addresses, contacts } = await setup(4);
    const [r0, r1, r2, r3] = addresses as [string, string, string, string];
    smtp.permanent(r2); // a hard bounce: reached, and undeliverable from now on
    const original = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${original.id}/schedule`, {})).statusCode).toBe(200);
    expect((await kit.sendAll(t, original.id)).status).toBe('sent');
    // r1's message failed (as a timeout would leave it).
    await db().execute(
      sql`UPDATE messages SET status = 'failed', reason = 'send_failed' WHERE contact_id = ${contacts[1]!}`,
    );

    // A new member; r0's contact moved to a new address; a twin contact under r0's old address.
    const fresh = kit.addr('fresh');
    const moved = kit.addr('moved');
    const newcomer = await kit.contact(t.accountId, { email: fresh });
    await db().execute(sql`UPDATE contacts SET email = ${moved} WHERE id = ${contacts[0]!}`);
    const twin = await kit.contact(t.accountId, { email: r0 });
    for (const c of [newcomer, twin])
      await db().execute(
        sql`INSERT INTO list_members (account_id, list_id, contact_id) VALUES (${t.accountId}, ${list}, ${c})`,
      );

    const res = await post(t, `/${original.id}/resend`, {});
    expect(res.statusCode, res.body).toBe(201);
    const resend = res.json<Mailing>();
    expect(resend).toMatchObject({
      status: 'draft',
      name: `${original.name} (re-send)`,
      rootId: original.id,
      resendOf: original.id,
      includeFailed: false,
      lists: [{ id: String(list), missing: false }],
    });
    // Sendable: moved, r1, r3, fresh, r0 (twin); r2 is undeliverable. Reached: moved (by contact),
    // r1 (failed, not included), r3, r0 (by address). Left: fresh.
    const audience = (
      await t.client.request('GET', `${t.base}/mailings/${resend.id}/audience`)
    ).json<AudienceCount>();
    expect(audience).toMatchObject({ withConsent: 5, alreadyReached: 4, recipients: 1 });
    const withFailed = await post(t, '/audience', {
      listIds: [String(list)],
      targetGroupIds: [],
      resendOf: original.id,
      includeFailed: true,
    });
    expect(withFailed.json<AudienceCount>()).toMatchObject({ alreadyReached: 3, recipients: 2 });

    expect((await post(t, `/${resend.id}/schedule`, {})).statusCode).toBe(200);
    expect(await kit.sendAll(t, resend.id)).toMatchObject({ status: 'sent', recipientsAtSend: 1 });

    // A re-send of the re-send, with the failed: only r1.
    const second = (await post(t, `/${resend.id}/resend`, { includeFailed: true })).json<Mailing>();
    expect(second).toMatchObject({ name: `${original.name} (re-send) (re-send)`, rootId: original.id });
    expect((await post(t, `/${second.id}/schedule`, {})).statusCode).toBe(200);
    expect(await kit.sendAll(t, second.id)).toMatchObject({ status: 'sent', recipientsAtSend: 1 });

    // Nobody is left; each address got it once (r1 twice: its first message was marked failed).
    const third = (await post(t, `/${second.id}/resend`, { includeFailed: true })).json<Mailing>();
    const left = (
      await t.client.request('GET', `${t.base}/mailings/${third.id}/audience`)
    ).json<AudienceCount>();
    expect(left.recipients).toBe(0);
    expect([r0, r1, r2, r3, fresh, moved].map((a) => mailsTo(a).length)).toEqual([1, 2, 0, 1, 1, 0]);
  });

  it('two sends of one family never run at once (409 MAILING_BUSY)', async () => {
    const { t, list } = await setup(2);
    const original = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await post(t, `/${original.id}/schedule`, {})).statusCode).toBe(200);
    await db().execute(sql`UPDATE mailings SET status = 'failed' WHERE id = ${Number(original.id)}`);
    const resend = (await post(t, `/${original.id}/resend`, {})).json<Mailing>();
    await db().execute(sql`UPDATE mailings SET status = 'scheduled' WHERE id = ${Number(original.id)}`);
    const busy = await post(t, `/${resend.id}/schedule`, { confirmEmpty: true });
    expect(busy.statusCode, busy.body).toBe(409);
    expect(busy.json()).toMatchObject({ error: { code: 'MAILING_BUSY' } });
    expect((await kit.getMailing(t, resend.id)).actionId).toBeNull();
    const again = await post(t, `/${original.id}/schedule`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'MAILING_BUSY', details: { status: 'sending' } } });
    expect((await kit.sendAll(t, original.id)).status).toBe('sent');
  });

  it('two parallel "send now" requests of one mailing: one starts, the other is 409', async () => {
    const { t, list } = await setup(1);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const answers = await Promise.all([post(t, `/${m.id}/schedule`, {}), post(t, `/${m.id}/schedule`, {})]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const actions = await rows(
      db(),
      sql`SELECT 1 FROM bulk_actions WHERE account_id = ${t.accountId} AND type = 'bulk_email'`,
    );
    expect(actions).toHaveLength(1);
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');
  });

  it('a list deleted after scheduling fails the send with list_deleted and tells it, no 500', async () => {
    const { t, list } = await setup(1);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const slot = new Date(h.clock.now().getTime() + 60_000).toISOString();
    expect((await post(t, `/${m.id}/schedule`, { scheduledFor: slot })).statusCode).toBe(200);
    await db().execute(sql`DELETE FROM subscriber_lists WHERE id = ${list}`);
    expect((await kit.getMailing(t, m.id)).lists).toEqual([
      { id: String(list), name: String(list), missing: true },
    ]);
    h.clock.advance(2 * 60_000);
    await h.services.mailings.sends.tick();
    const failed = await kit.getMailing(t, m.id);
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'list_deleted', actionId: null });
    const told = await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id);
    expect(told.map((n) => n.params.reason)).toEqual(['list_deleted']);
    expect(told[0]!.params.subscriberLists).toEqual([{ id: String(list), name: `#${list}` }]);
    await h.services.mailings.sends.tick();
    expect(await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id)).toHaveLength(1);

    // The corrected re-send: a copy keeps the missing list for the user to see; the body corrects it.
    const copy = await post(t, `/${m.id}/resend`, {});
    expect(copy.statusCode, copy.body).toBe(201);
    expect(copy.json<Mailing>().lists).toEqual([{ id: String(list), name: String(list), missing: true }]);
    const fixedList = await kit.list(t.accountId, [
      await kit.contact(t.accountId, { email: kit.addr('fix') }),
    ]);
    const fixed = await post(t, `/${m.id}/resend`, { listIds: [String(fixedList)] });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json<Mailing>()).toMatchObject({
      lists: [{ id: String(fixedList), missing: false }],
      name: `${m.name} (re-send) 2`,
    });
    const foreign = await post(t, `/${m.id}/resend`, { listIds: ['999999'] });
    expect(foreign.statusCode).toBe(404);
  });

  it('a target group deleted between the start and the freeze fails the send with that reason, told once', async () => {
    const { t, list } = await setup(2, 'B');
    const group = await kit.targetGroup(t.accountId, 'B');
    const m = await kit.createMailing(t, { listIds: [String(list)], targetGroupIds: [String(group)] });
    expect((await post(t, `/${m.id}/schedule`, {})).statusCode).toBe(200);
    await db().execute(sql`DELETE FROM smart_lists WHERE id = ${group}`);
    const ended = await kit.sendAll(t, m.id);
    expect(ended).toMatchObject({ status: 'failed', failureReason: 'target_group_deleted' });
    const told = await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id);
    expect(told.map((n) => n.params.reason)).toEqual(['target_group_deleted']);
    const engineNotes = await rows(
      db(),
      sql`SELECT 1 FROM notifications WHERE account_id = ${t.accountId} AND type = 'bulk_action.failed'`,
    );
    expect(engineNotes).toHaveLength(0);
    const [action] = await rows<{ status: string }>(
      db(),
      sql`SELECT status FROM bulk_actions WHERE id = ${Number(ended.actionId)}`,
    );
    expect(action!.status).toBe('failed');
  });

  it('the user who scheduled it losing messaging.send fails the send with not_permitted', async () => {
    const { t, list } = await setup(1);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const marketer = await login(h.app, t.users.marketer, TEST_PASSWORD);
    const slot = new Date(h.clock.now().getTime() + 60_000).toISOString();
    const res = await marketer.request('POST', `${t.base}/mailings/${m.id}/schedule`, { scheduledFor: slot });
    expect(res.statusCode, res.body).toBe(200);
    await upsertMembership(db(), asAccountId(t.accountId), await userId(t.users.marketer), 'viewer', false);
    h.clock.advance(2 * 60_000);
    await h.services.mailings.sends.tick();
    expect(await kit.getMailing(t, m.id)).toMatchObject({ status: 'failed', failureReason: 'not_permitted' });
    expect(await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id)).toHaveLength(1);
  });
});
