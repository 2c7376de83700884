// Migration 0012 moves notification emails into the delivery outbox: a database as it was before
// (migrations up to 0011, emails in every state) keeps what the outbox page shows, and the moved
// rows go on through the dispatcher (due ones are sent, one interrupted mid-send fails).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { databaseBefore } from '../../../../test/helpers/migrations.ts';
import { migrate } from '../../db/migrate.ts';
import { rows, type Database } from '../../db/types.ts';
import { insertAccount } from '../accounts/accounts.repo.ts';
import { insertUser } from '../users/users.repo.ts';
import { outboxTransport } from '../../adapters/email-transport.ts';
import { DeliveryRegistry } from '../../engine/delivery/delivery-kinds.ts';
import { DeliveryDispatcher } from '../../engine/delivery/delivery-dispatcher.ts';
import { BulkTypeRegistry } from '../../engine/registry.ts';
import { NotificationMailer } from './notification-mailer.ts';

describe(`notification emails move into deliveries (${ENGINE})`, () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await databaseBefore('0012'));
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('keeps status, address, subject, bodies, error, attempts and times, and sends on from there', async () => {
    const db = database.db;
    const accountId = await insertAccount(db, { name: 'Legacy', kind: 'agency', parentId: null });
    const user = await insertUser(db, { email: 'legacy@test.example', name: 'Legacy', passwordHash: 'x' });
    const [n] = await rows<{ id: number }>(
      db,
      sql`INSERT INTO notifications (account_id, type, severity, params, subject_kind, subject_id, first_at, last_at)
          SELECT ${accountId}, 'bulk_action.failed', 'error',
                 jsonb_build_object('action', jsonb_build_object('id', i::text, 'name', 'Job ' || i),
                                    'processed', 1, 'total', 2, 'error', 'boom'),
                 'bulk_action', i::text, now(), now()
          FROM generate_series(1, 5) i ORDER BY i RETURNING id`,
    );
    const first = Number(n!.id);
    await db.execute(sql`
      INSERT INTO notification_emails (notification_id, user_id, account_id, status, attempts, to_address, subject,
        text_body, html_body, message_id, last_error, created_at, next_attempt_at, claimed_at, sent_at)
      VALUES
        (${first}, ${user.id}, ${accountId}, 'sent', 1, 'legacy@test.example', '[Herald] Sent', 'text', '<p>html</p>',
         '<m1@x>', NULL, '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z', '2026-01-01T10:00:02Z'),
        (${first + 1}, ${user.id}, ${accountId}, 'failed', 1, 'legacy@test.example', '[Herald] Failed', 't', '<p>h</p>',
         '<m2@x>', '550 No such user', '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-02T10:00:01Z', NULL),
        (${first + 2}, ${user.id}, ${accountId}, 'retrying', 2, 'legacy@test.example', '[Herald] Retrying', 't', '<p>h</p>',
         '<m3@x>', '451 Try later', '2026-01-03T10:00:00Z', '2026-01-03T10:00:10Z', '2026-01-03T10:00:01Z', NULL),
        (${first + 3}, ${user.id}, ${accountId}, 'queued', 0, NULL, NULL, NULL, NULL,
         NULL, NULL, '2026-01-04T10:00:00Z', '2026-01-04T10:00:00Z', NULL, NULL),
        (${first + 4}, ${user.id}, ${accountId}, 'sending', 1, NULL, NULL, NULL, NULL,
         NULL, NULL, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z', '2026-01-05T10:00:01Z', NULL)`);

    expect(await migrate(database)).toContain('0012_deliveries.sql');
    const [table] = await rows<{ t: string | null }>(
      db,
      sql`SELECT to_regclass('notification_emails')::text AS t`,
    );
    expect(table!.t).toBeNull();

    const mailer = new NotificationMailer(
      db,
      outboxTransport(),
      { publicUrl: 'https://herald.test', from: 'herald@test.example' },
      new BulkTypeRegistry(),
    );
    const outbox = () => mailer.outbox(user.id).then((items) => [...items].reverse());
    expect(await outbox()).toEqual([
      expect.objectContaining({
        notificationId: String(first),
        status: 'sent',
        to: 'legacy@test.example',
        subject: '[Herald] Sent',
        text: 'text',
        html: '<p>html</p>',
        attempts: 1,
        lastError: null,
        createdAt: '2026-01-01T10:00:00.000Z',
        sentAt: '2026-01-01T10:00:02.000Z',
      }),
      expect.objectContaining({
        status: 'failed',
        subject: '[Herald] Failed',
        lastError: '550 No such user',
        sentAt: null,
      }),
      expect.objectContaining({ status: 'retrying', attempts: 2, lastError: '451 Try later' }),
      expect.objectContaining({ status: 'pending', attempts: 0, to: '', subject: null }),
      expect.objectContaining({ status: 'sending', attempts: 1 }),
    ]);

    // The dispatcher takes them over: due ones go out, the interrupted send fails, nothing else moves.
    const registry = new DeliveryRegistry();
    registry.registerDeliveryKind(mailer.kind);
    await new DeliveryDispatcher(db, registry, { concurrency: 2 }).run();
    const after = await outbox();
    expect(after.map((e) => [e.status, e.attempts])).toEqual([
      ['sent', 1],
      ['failed', 1],
      ['outboxed', 3],
      ['outboxed', 1],
      ['failed', 1],
    ]);
    expect(after[3]).toMatchObject({
      to: 'legacy@test.example',
      subject: expect.stringContaining('Job 4') as unknown,
    });
    expect(after[4]!.lastError).toMatch(/Interrupted/);
  });
});
