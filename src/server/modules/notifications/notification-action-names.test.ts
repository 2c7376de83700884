import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startSmtp, type TestSmtp } from '../../../../test/helpers/smtp.ts';
import { sseReader } from '../../../../test/helpers/sse.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { Notification, OutboxEmail } from '../../../shared/notifications.ts';

// Issue 9 §9: a bulk action's name in a notification (list, one, live stream, email) is the
// action's name as each reader reads it, not the creator's text stored with the notification.
describe(`notifications name bulk actions as each reader reads them (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: TestSmtp;
  let t: Tenant;
  let german: Client;
  let english: Client;
  const url = (p: string, account = t.subId) => `/api/accounts/${account}${p}`;

  beforeAll(async () => {
    smtp = await startSmtp();
    h = await createHarness({
      worker: true,
      env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: 'https://herald.test' },
    });
    t = await createTenant(h.db.database.db);
    german = await login(h.app, t.users.owner, TEST_PASSWORD);
    english = await login(h.app, t.users.admin, TEST_PASSWORD);
    for (const [client, language] of [
      [german, 'de'],
      [english, 'en'],
    ] as const) {
      const res = await client.request('PATCH', '/api/me/settings', { language, emailSystemMessages: true });
      expect(res.statusCode, res.body).toBe(200);
    }
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      const res = await german.request('POST', url('/contacts'), { email });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  /** A scheduled add-tag whose tag is then deleted: the engine fails it and notifies (bulk_action.failed). */
  const failedAddTag = async (tagName: string): Promise<string> => {
    const tag = (await german.request('POST', url('/tags'), { name: tagName })).json<{ id: string }>();
    const res = await german.request('POST', url('/bulk-actions'), {
      type: 'add_tag',
      tagId: tag.id,
      selection: { filter: { op: 'and', conditions: [] } },
      scheduledFor: new Date(h.clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<BulkAction>().id;
    // The worker freezes the selection; the action then waits for its time.
    await expect
      .poll(async () => (await german.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>().status, {
        timeout: 20_000,
      })
      .toBe('queued');
    expect((await german.request('DELETE', url(`/tags/${tag.id}?confirm=true`))).statusCode).toBe(204);
    return id;
  };
  const nameOfAction = async (client: Client, id: string) =>
    (await client.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>().name;
  const notificationAbout = async (client: Client, actionId: string, account = t.subId) => {
    const res = await client.request('GET', url('/notifications?type=bulk_action.failed', account));
    expect(res.statusCode, res.body).toBe(200);
    const found = res.json<{ items: Notification[] }>().items.filter((n) => n.subject.id === actionId);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const actionName = (n: Notification) => (n.params.action as { name: string }).name;

  it('a German and an English reader see the generated name in their own language: list, one, stream, email', async () => {
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = sseReader(
      await fetch(`${base}/api/me/notifications/events`, { headers: { cookie: german.cookie } }),
    );
    await stream.next((e) => e.event === 'ready');
    const sentBefore = smtp.received.length;

    const id = await failedAddTag('VIP');
    const de = 'Tag „VIP“ zu 3 Kontakten hinzufügen';
    const en = "Add tag 'VIP' to 3 contacts";
    // The engine's own per-reader names, for reference: the notifications must say the same.
    expect(await nameOfAction(german, id)).toBe(de);
    expect(await nameOfAction(english, id)).toBe(en);

    const forGerman = await notificationAbout(german, id);
    const forEnglish = await notificationAbout(english, id);
    expect(forGerman.id).toBe(forEnglish.id);
    expect(actionName(forGerman)).toBe(de);
    expect(actionName(forEnglish)).toBe(en);
    expect(forGerman.params.action).toEqual({ id, name: de });

    const one = (client: Client) => client.request('GET', url(`/notifications/${forGerman.id}`));
    expect(actionName((await one(german)).json<Notification>())).toBe(de);
    expect(actionName((await one(english)).json<Notification>())).toBe(en);

    const live = await stream.next((e) => e.event === 'notification' && JSON.parse(e.data).subject.id === id);
    expect(actionName(JSON.parse(live.data) as Notification)).toBe(de);
    await stream.cancel();

    // The email copies, rendered at send time, each in its reader's language.
    const emailAbout = async (client: Client) =>
      (await client.request('GET', '/api/me/outbox'))
        .json<{ items: OutboxEmail[] }>()
        .items.find((e) => e.notificationId === forGerman.id && e.status === 'sent');
    await expect.poll(() => emailAbout(german), { timeout: 30_000, interval: 200 }).toBeDefined();
    await expect.poll(() => emailAbout(english), { timeout: 30_000, interval: 200 }).toBeDefined();
    expect((await emailAbout(german))!.subject).toBe(`[Herald] Massenaktion fehlgeschlagen: ${de}`);
    expect((await emailAbout(german))!.text).toContain(de);
    expect((await emailAbout(english))!.subject).toBe(`[Herald] Bulk action failed: ${en}`);
    expect((await emailAbout(english))!.text).not.toContain('Kontakten');
    const mine = smtp.received.slice(sentBefore);
    expect(mine.filter((m) => m.to.includes(t.users.owner))).toHaveLength(1);
    expect(mine.filter((m) => m.to.includes(t.users.admin))).toHaveLength(1);
  });

  it('a renamed action shows its typed name to every reader', async () => {
    const id = await failedAddTag('Spring');
    const renamed = await german.request('PATCH', url(`/bulk-actions/${id}`), { name: 'Frühjahrsaktion' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(actionName(await notificationAbout(german, id))).toBe('Frühjahrsaktion');
    expect(actionName(await notificationAbout(english, id))).toBe('Frühjahrsaktion');
  });

  it('an action that is gone, or belongs to another account, keeps the stored name', async () => {
    const id = await failedAddTag('Elsewhere');
    const db = h.db.database.db;
    // The same action id named by a notification of the agency account: not this action.
    for (const [actionId, name] of [
      [id, 'Stored in the agency'],
      ['999999999999', 'Long gone'],
    ] as const) {
      const { notificationId } = await h.services.notifier.notify(db, Number(t.agencyId), {
        type: 'bulk_action.failed',
        params: { action: { id: actionId, name }, processed: 0, total: 3, error: 'gone' },
        subject: { kind: 'bulk_action', id: actionId },
      });
      for (const client of [german, english]) {
        expect(actionName(await notificationAbout(client, actionId, t.agencyId))).toBe(name);
        // The email is composed outside any tenant transaction: the lookup itself keeps accounts apart.
        const email = async () =>
          (await client.request('GET', '/api/me/outbox'))
            .json<{ items: OutboxEmail[] }>()
            .items.find((e) => e.notificationId === String(notificationId) && e.status === 'sent');
        await expect.poll(email, { timeout: 30_000, interval: 200 }).toBeDefined();
        expect((await email())!.subject).toMatch(new RegExp(`: ${name}$`));
      }
    }
  });
});
