import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startSmtp, type TestSmtp } from '../../../../test/helpers/smtp.ts';
import { sseReader } from '../../../../test/helpers/sse.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { upsertMembership } from '../users/users.repo.ts';
import type { Notification, NotificationEvent } from '../../../shared/notifications.ts';

const failedBulk = (name: string, id = '7'): NotificationEvent => ({
  type: 'bulk_action.failed',
  params: { action: { id, name }, processed: 3, total: 10, error: 'database unreachable' },
  subject: { kind: 'bulk_action', id },
});

const ftpFailed = (importName: string): NotificationEvent => ({
  type: 'ftp_import.failed',
  params: {
    import: { id: '3', name: importName },
    cause: 'auth_failed',
    server: 'sftp://files.example.com',
    file: 'subscribers.csv.zip.pgp',
    detail: '530 Login incorrect',
  },
  subject: { kind: 'ftp_import', id: '3' },
  groupKey: `ftp-import-3`,
});

describe(`notifications (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: TestSmtp;
  let tenant: Tenant;
  // Tests move the clock by days; a fresh login per use keeps sessions from expiring under them.
  const as = (role: keyof Tenant['users']) => login(h.app, tenant.users[role], TEST_PASSWORD);
  const url = (p: string, account = tenant.subId) => `/api/accounts/${account}/notifications${p}`;
  const db = () => h.db.database.db;
  const notify = (event: NotificationEvent, account = tenant.subId) =>
    h.services.notifier.notify(db(), Number(account), event);
  const userId = async (email: string) =>
    Number((await rows<{ id: number }>(db(), sql`SELECT id FROM users WHERE email = ${email}`))[0]!.id);

  beforeAll(async () => {
    smtp = await startSmtp();
    h = await createHarness({
      worker: true,
      env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: 'https://herald.test' },
    });
    tenant = await createTenant(db());
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  it('delivers to exactly the users who hold notifications.view in the account', async () => {
    const t = await createTenant(db());
    // The analyst gets an own membership in the sub-account as viewer: that role applies there.
    await upsertMembership(
      db(),
      asAccountId(Number(t.subId)),
      await userId(t.users.analyst),
      'viewer',
      false,
    );
    const result = await h.services.notifier.notify(db(), Number(t.subId), failedBulk('Delete 40 contacts'));
    const recipients = await rows<{ email: string }>(
      db(),
      sql`SELECT u.email FROM notification_recipients r JOIN users u ON u.id = r.user_id
          WHERE r.notification_id = ${result.notificationId} ORDER BY u.email`,
    );
    expect(recipients.map((r) => r.email)).toEqual(
      [t.users.admin, t.users.marketer, t.users.observer, t.users.owner].sort(),
    );
    expect(result.recipients).toBe(4);
  });

  it('lists, counts, marks read and unread, and deletes per user', async () => {
    const t = await createTenant(db());
    const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    const analyst = await login(h.app, t.users.analyst, TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}/notifications${p}`;
    for (const name of ['first', 'second', 'third']) {
      await h.services.notifier.notify(db(), Number(t.subId), failedBulk(name));
    }
    const page = (await owner.request('GET', u(''))).json<{ items: Notification[] }>();
    expect(page.items.map((n) => n.params.action)).toEqual([
      { id: '7', name: 'third' },
      { id: '7', name: 'second' },
      { id: '7', name: 'first' },
    ]);
    expect(page.items[0]).toMatchObject({
      type: 'bulk_action.failed',
      severity: 'error',
      read: false,
      accountId: t.subId,
      path: `/accounts/${t.subId}/bulk-actions/7`,
      occurrences: 1,
    });
    expect((await owner.request('GET', u('/unread-count'))).json()).toEqual({ unread: 3 });

    const [third, second, first] = page.items.map((n) => n.id);
    const marked = await owner.request('POST', u('/mark'), {
      selection: { ids: [third, second] },
      read: true,
    });
    expect(marked.json()).toEqual({ changed: 2, unread: 1 });
    // Marking again changes nothing and counts nothing.
    expect(
      (await owner.request('POST', u('/mark'), { selection: { ids: [third] }, read: true })).json(),
    ).toEqual({ changed: 0, unread: 1 });
    expect(
      (await owner.request('GET', u('?unread=true'))).json().items.map((n: Notification) => n.id),
    ).toEqual([first]);
    expect((await analyst.request('GET', u('/unread-count'))).json()).toEqual({ unread: 3 });

    expect(
      (await owner.request('POST', u('/mark'), { selection: { ids: [second] }, read: false })).json(),
    ).toEqual({ changed: 1, unread: 2 });
    expect((await owner.request('POST', u('/delete'), { selection: { ids: [second] } })).json()).toEqual({
      changed: 1,
      unread: 1,
    });
    expect((await owner.request('GET', u(`/${second}`))).statusCode).toBe(404);
    expect((await analyst.request('GET', u(`/${second}`))).json().read).toBe(false);

    expect(
      (await owner.request('POST', u('/mark'), { selection: { all: true }, read: true })).json(),
    ).toEqual({
      changed: 1,
      unread: 0,
    });
    const counts = (await owner.request('GET', '/api/me/notifications/unread-counts')).json();
    expect(counts).toEqual({ total: 0, accounts: { [t.agencyId]: 0, [t.subId]: 0 } });
    expect((await analyst.request('GET', '/api/me/notifications/unread-counts')).json().total).toBe(3);
  });

  it('filters by type, severity and date, and pages with a cursor', async () => {
    const t = await createTenant(db());
    const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}/notifications${p}`;
    for (let i = 0; i < 5; i++) await h.services.notifier.notify(db(), Number(t.subId), failedBulk(`b${i}`));
    h.clock.advance(60_000);
    await h.services.notifier.notify(db(), Number(t.subId), { ...ftpFailed('daily'), groupKey: undefined });
    const ftp = (await owner.request('GET', u('?type=ftp_import.failed'))).json().items;
    expect(ftp).toHaveLength(1);
    expect((await owner.request('GET', u('?severity=warning,info'))).json().items).toHaveLength(0);
    const since = new Date(h.clock.now().getTime() - 1000).toISOString();
    expect((await owner.request('GET', u(`?from=${encodeURIComponent(since)}`))).json().items).toHaveLength(
      1,
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: Notification[]; nextCursor: string | null } = (
        await owner.request('GET', u(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`))
      ).json();
      seen.push(...res.items.map((n) => n.id));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect((await owner.request('GET', u('?type=nope'))).statusCode).toBe(400);
    expect((await owner.request('GET', u('?cursor=abc'))).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('collapses repeats with the same grouping key within the window and brings them back as unread', async () => {
    const t = await createTenant(db());
    const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}/notifications${p}`;
    const first = await h.services.notifier.notify(db(), Number(t.subId), ftpFailed('daily'));
    await owner.request('POST', u('/mark'), { selection: { all: true }, read: true });
    for (let i = 0; i < 5; i++) {
      h.clock.advance(3_600_000);
      const again = await h.services.notifier.notify(db(), Number(t.subId), ftpFailed('daily'));
      expect(again).toMatchObject({ notificationId: first.notificationId, created: false });
    }
    const items = (await owner.request('GET', u(''))).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ occurrences: 6, read: false });
    expect(Date.parse(items[0].lastAt) - Date.parse(items[0].firstAt)).toBe(5 * 3_600_000);
    expect((await owner.request('GET', u('/unread-count'))).json()).toEqual({ unread: 1 });

    // A user who deleted it gets it back with the next repeat.
    await owner.request('POST', u('/delete'), { selection: { all: true } });
    await h.services.notifier.notify(db(), Number(t.subId), ftpFailed('daily'));
    expect((await owner.request('GET', u('/unread-count'))).json()).toEqual({ unread: 1 });

    // The same key on another type is another notification.
    const otherType = await h.services.notifier.notify(db(), Number(t.subId), {
      ...failedBulk('same key, other type'),
      groupKey: 'ftp-import-3',
    });
    expect(otherType.created).toBe(true);

    // After the window (24 h from the first occurrence) a new notification starts.
    h.clock.advance(24 * 3_600_000);
    const later = await h.services.notifier.notify(db(), Number(t.subId), ftpFailed('daily'));
    expect(later.created).toBe(true);
    const again = await login(h.app, t.users.owner, TEST_PASSWORD);
    expect((await again.request('GET', u('?type=ftp_import.failed'))).json().items).toHaveLength(2);
  });

  it('keeps the unread count exact under concurrent inserts, reads and deletes', async () => {
    const t = await createTenant(db());
    const users = await Promise.all(
      (['owner', 'admin', 'analyst'] as const).map(async (role) => ({
        client: await login(h.app, t.users[role], TEST_PASSWORD),
        id: await userId(t.users[role]),
      })),
    );
    const u = (p: string) => `/api/accounts/${t.subId}/notifications${p}`;
    for (let i = 0; i < 10; i++)
      await h.services.notifier.notify(db(), Number(t.subId), failedBulk(`seed ${i}`));
    // Deterministic pseudo-random mix, so a failure can be replayed.
    let state = 42;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const idsOf = async (client: Client) =>
      (await client.request('GET', u('?limit=200'))).json().items.map((n: Notification) => n.id) as string[];
    const pick = (ids: string[]) => ids.filter(() => random() < 0.3).slice(0, 5);
    const operations: Promise<unknown>[] = [];
    for (let round = 0; round < 6; round++) {
      for (const user of users) {
        const ids = await idsOf(user.client);
        const r = random();
        if (r < 0.25)
          operations.push(h.services.notifier.notify(db(), Number(t.subId), failedBulk(`r${round}`)));
        else if (r < 0.5)
          operations.push(
            user.client.request('POST', u('/mark'), {
              selection: { ids: pick(ids).length ? pick(ids) : ids.slice(0, 1) },
              read: true,
            }),
          );
        else if (r < 0.7)
          operations.push(
            user.client.request('POST', u('/mark'), { selection: { all: true }, read: random() < 0.5 }),
          );
        else if (r < 0.85 && ids.length)
          operations.push(user.client.request('POST', u('/delete'), { selection: { ids: ids.slice(0, 2) } }));
        else operations.push(h.services.notifier.notify(db(), Number(t.subId), ftpFailed('grouped')));
      }
    }
    const results = await Promise.all(operations);
    for (const r of results) {
      if (r && typeof r === 'object' && 'statusCode' in r)
        expect((r as { statusCode: number }).statusCode).toBe(200);
    }
    for (const user of users) {
      const [recount] = await rows<{ n: number }>(
        db(),
        sql`SELECT count(*)::int AS n FROM notification_recipients
            WHERE user_id = ${user.id} AND account_id = ${Number(t.subId)} AND read_at IS NULL`,
      );
      expect((await user.client.request('GET', u('/unread-count'))).json().unread).toBe(recount!.n);
    }
  });

  it('emails each opted-in recipient once, in their language, after a temporary SMTP refusal', async () => {
    const t = await createTenant(db());
    const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    const observer = await login(h.app, t.users.observer, TEST_PASSWORD);
    await owner.request('PATCH', '/api/me/settings', { language: 'de', emailSystemMessages: true });
    await observer.request('PATCH', '/api/me/notification-settings', {
      enabled: true,
      modes: { 'ftp_import.failed': 'errors', 'bulk_action.finished_with_errors': 'errors' },
    });
    smtp.failNext(1);
    const before = smtp.received.length;
    const attemptsBefore = smtp.attempts;
    const result = await h.services.notifier.notify(db(), Number(t.subId), ftpFailed('nightly'));
    await expect
      .poll(() => smtp.received.length - before, { timeout: 20_000, interval: 200 })
      .toBe(2)
      .catch(async (err: unknown) => {
        console.log(
          await rows(
            db(),
            sql`SELECT id, subject, status, attempts, last_error FROM deliveries WHERE kind = 'notification_email'`,
          ),
        );
        throw err;
      });
    expect(smtp.attempts - attemptsBefore).toBe(3); // one refused with 451, then both delivered
    const mine = smtp.received.slice(before);
    const toOwner = mine.find((m) => m.to.includes(t.users.owner))!;
    const toObserver = mine.find((m) => m.to.includes(t.users.observer))!;
    expect(toOwner.raw).toContain('FTP-Abonnentenimport fehlgeschlagen');
    expect(toOwner.raw).toContain('Content-Language: de');
    expect(toOwner.raw).toMatch(/text\/html/);
    expect(toOwner.raw).toContain(`https://herald.test/accounts/${t.subId}/imports/ftp/3`);
    expect(toObserver.raw).toContain('FTP subscriber import failed');
    expect(mine.some((m) => m.to.includes(t.users.admin))).toBe(false); // no opt-in

    // A repeat (same grouping key) and a warning the observer excluded send nothing new.
    await h.services.notifier.notify(db(), Number(t.subId), ftpFailed('nightly'));
    await h.services.notifier.notify(db(), Number(t.subId), {
      type: 'bulk_action.finished_with_errors',
      params: { action: { id: '9', name: 'Add tag' }, total: 10, succeeded: 8, failed: 2, skipped: 0 },
      subject: { kind: 'bulk_action', id: '9' },
    });
    await expect.poll(() => smtp.received.length - before, { timeout: 30_000, interval: 200 }).toBe(3);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(smtp.received.length - before).toBe(3);
    const outbox = (await owner.request('GET', '/api/me/outbox')).json().items;
    expect(
      outbox.filter((e: { notificationId: string }) => e.notificationId === String(result.notificationId)),
    ).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ status: 'sent', to: t.users.owner });

    // Another dispatch round (as after a crash) sends nothing again: a sent email is final.
    const sentId = Number(outbox.find((e: { status: string }) => e.status === 'sent').id);
    await h.services.deliveries.run();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(smtp.received.length - before).toBe(3);
    const [sentRow] = await rows<{ status: string; attempts: number }>(
      db(),
      sql`SELECT status, attempts FROM deliveries WHERE id = ${sentId}`,
    );
    expect(sentRow).toEqual({ status: 'sent', attempts: 1 });
  });

  it('fails a send its process abandoned mid-send instead of sending it twice, and sends what is due', async () => {
    const t = await createTenant(db());
    const ownerId = await userId(t.users.owner);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    // Rows as a worker that died leaves them: one claimed (its lease ran out), one due but never sent.
    // (The owner has not opted in, so notify itself adds no rows of theirs to race with.)
    const abandoned = await h.services.notifier.notify(db(), Number(t.subId), failedBulk('abandoned'));
    const lost = await h.services.notifier.notify(db(), Number(t.subId), failedBulk('lost job'));
    const subject = (notificationId: number) => JSON.stringify({ notificationId, userId: ownerId });
    await db().execute(sql`
      INSERT INTO deliveries (account_id, kind, subject, dedupe_key, status, attempts, due_at, lease_owner, lease_until, created_at)
      VALUES (${Number(t.subId)}, 'notification_email', ${subject(abandoned.notificationId)}::jsonb,
              ${`${abandoned.notificationId}:${ownerId}`}, 'sending', 1, ${minutesAgo(7)}::timestamptz, 'dead-worker',
              ${minutesAgo(1)}::timestamptz, now()),
             (${Number(t.subId)}, 'notification_email', ${subject(lost.notificationId)}::jsonb,
              ${`${lost.notificationId}:${ownerId}`}, 'pending', 0, ${minutesAgo(11)}::timestamptz, NULL, NULL, now())`);
    const before = smtp.received.length;
    await h.services.deliveries.run();
    await expect
      .poll(() => smtp.received.filter((m) => m.to.includes(t.users.owner)).length, { timeout: 20_000 })
      .toBe(1);
    expect(smtp.received.length - before).toBe(1);
    expect(smtp.received.at(-1)!.raw).toContain('lost job');
    // The SMTP server holds the message a moment before the sender records it as sent: wait for that.
    const states = () =>
      rows<{ status: string; lastError: string | null }>(
        db(),
        sql`SELECT status, last_error AS "lastError" FROM deliveries
            WHERE kind = 'notification_email' AND (subject ->> 'userId')::bigint = ${ownerId} ORDER BY id`,
      );
    await expect.poll(states, { timeout: 20_000 }).toEqual([
      { status: 'failed', lastError: expect.stringMatching(/Interrupted/) as unknown },
      { status: 'sent', lastError: null },
    ]);
  });

  it('checks rights and keeps accounts apart', async () => {
    const created = await notify(failedBulk('private'));
    const id = String(created.notificationId);
    const owner = await as('owner');
    expect((await (await as('viewer')).request('GET', url(''))).statusCode).toBe(403);
    expect((await (await as('observer')).request('GET', url(`/${id}`))).statusCode).toBe(200);
    const other = await createTenant(db());
    const stranger = await login(h.app, other.users.owner, TEST_PASSWORD);
    expect((await stranger.request('GET', url(''))).statusCode).toBe(404);
    // Their own account, our notification's id: not theirs, nothing changes.
    const theirs = (p: string) => `/api/accounts/${other.subId}/notifications${p}`;
    expect((await stranger.request('GET', theirs(`/${id}`))).statusCode).toBe(404);
    expect(
      (await stranger.request('POST', theirs('/mark'), { selection: { ids: [id] }, read: true })).json(),
    ).toEqual({ changed: 0, unread: 0 });
    expect((await owner.request('GET', url(`/${id}`))).json().read).toBe(false);
    expect(
      (await owner.request('POST', url('/mark'), { selection: { ids: [] }, read: true })).statusCode,
    ).toBe(400);
  });

  it('streams new notifications and counts, and resumes after a reconnect without losing one', async () => {
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const analyst = await as('analyst');
    const open = (lastEventId?: string) =>
      fetch(`${base}/api/me/notifications/events`, {
        headers: { cookie: analyst.cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      });
    const first = await open();
    expect(first.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = sseReader(first);
    const ready = await reader.next((e) => e.event === 'ready');
    await notify(failedBulk('live one'));
    const live = await reader.next((e) => e.event === 'notification');
    expect(JSON.parse(live.data).params.action.name).toBe('live one');
    const counts = await reader.next((e) => e.event === 'counts');
    expect(JSON.parse(counts.data).accounts[tenant.subId]).toBeGreaterThan(0);
    expect(Number(live.id)).toBeGreaterThan(Number(ready.id));
    await reader.cancel();

    // While disconnected, two more arrive; the resumed stream sends exactly those.
    await notify(failedBulk('missed 1'));
    await notify(failedBulk('missed 2'));
    const resumed = sseReader(await open(live.id));
    const a = await resumed.next((e) => e.event === 'notification');
    const b = await resumed.next((e) => e.event === 'notification');
    expect([a, b].map((e) => JSON.parse(e.data).params.action.name)).toEqual(['missed 1', 'missed 2']);
    await resumed.cancel();

    // A stream whose session ended (logout elsewhere) is closed at the next notification.
    const leaving = await as('analyst');
    const gone = sseReader(
      await fetch(`${base}/api/me/notifications/events`, { headers: { cookie: leaving.cookie } }),
    );
    await gone.next((e) => e.event === 'ready');
    expect((await leaving.request('POST', '/api/auth/logout')).statusCode).toBeLessThan(300);
    await notify(failedBulk('after logout'));
    await expect(gone.next((e) => e.event === 'notification')).rejects.toThrow('stream ended');
  });

  it('purges notifications past the retention age and keeps the counters right', async () => {
    const t = await createTenant(db());
    const u = (p: string) => `/api/accounts/${t.subId}/notifications${p}`;
    // The owner asked for emails: those go with their notifications.
    const early = await login(h.app, t.users.owner, TEST_PASSWORD);
    await early.request('PATCH', '/api/me/settings', { emailSystemMessages: true });
    const old = await h.services.notifier.notify(db(), Number(t.subId), failedBulk('old'));
    h.clock.advance(200 * 86_400_000);
    const recent = await h.services.notifier.notify(db(), Number(t.subId), failedBulk('recent'));
    const emailsOf = async (notificationId: number) =>
      (
        await rows<{ n: number }>(
          db(),
          sql`SELECT count(*)::int AS n FROM deliveries
              WHERE kind = 'notification_email' AND subject ->> 'notificationId' = ${String(notificationId)}`,
        )
      )[0]!.n;
    expect(await emailsOf(old.notificationId)).toBe(1);
    h.clock.advance(166 * 86_400_000);
    const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    expect((await owner.request('GET', u('/unread-count'))).json().unread).toBe(2);
    expect(await h.services.notificationPurge()).toBeGreaterThanOrEqual(1);
    expect(
      (await owner.request('GET', u(''))).json().items.map((n: Notification) => n.params.action),
    ).toEqual([{ id: '7', name: 'recent' }]);
    expect((await owner.request('GET', u('/unread-count'))).json().unread).toBe(1);
    expect(await emailsOf(old.notificationId)).toBe(0);
    expect(await emailsOf(recent.notificationId)).toBe(1);
  });
});
