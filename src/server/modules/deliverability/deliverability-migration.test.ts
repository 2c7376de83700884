// Migration 0018 takes `bounced` out of consent: a database as it was before (migrations up to
// 0017, contacts with bounced email and SMS consent, a SmartList filtering on it) ends with the
// addresses hard-bounced (reason `migrated`), consent back to subscribed, the old value refused by
// the CHECK constraints, and the SmartList filtering on deliverability instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { databaseBefore } from '../../../../test/helpers/migrations.ts';
import { migrate } from '../../db/migrate.ts';
import { rows, type Database } from '../../db/types.ts';
import { insertAccount } from '../accounts/accounts.repo.ts';

describe(`bounced consent becomes deliverability (${ENGINE})`, () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await databaseBefore('0018'));
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('moves bounced consent to hard-bounced deliverability and refuses the old value afterwards', async () => {
    const db = database.db;
    const a = await insertAccount(db, { name: 'Legacy A', kind: 'agency', parentId: null });
    const b = await insertAccount(db, { name: 'Legacy B', kind: 'agency', parentId: null });
    await db.execute(sql`
      INSERT INTO contacts (account_id, email, phone, email_consent, sms_consent, updated_at) VALUES
        (${a}, 'Bounced@Example.org', '+4915100000001', 'bounced', 'subscribed', '2025-03-01T10:00:00Z'),
        (${a}, 'fine@example.org', '+4915100000002', 'subscribed', 'bounced', '2025-03-02T10:00:00Z'),
        (${a}, 'gone@example.org', NULL, 'unsubscribed', 'subscribed', '2025-03-03T10:00:00Z'),
        (${a}, NULL, '+4915100000004', 'subscribed', 'bounced', '2025-03-04T10:00:00Z'),
        (${b}, 'bounced@example.org', NULL, 'bounced', 'unsubscribed', '2025-03-05T10:00:00Z')`);
    // A deleted contact with the same address bounced as well: one row for the address.
    await db.execute(sql`
      INSERT INTO contacts (account_id, email, email_consent, deleted_at)
      VALUES (${a}, 'bounced@example.org', 'bounced', now())`);
    // An address that complained already stays complained.
    await db.execute(sql`
      INSERT INTO address_deliverability (account_id, channel, address, state, reason)
      VALUES (${b}, 'email', 'bounced@example.org', 'complained', 'abuse report')`);
    const filter = {
      op: 'or',
      conditions: [
        { type: 'consent', channel: 'email', status: 'bounced' },
        { op: 'and', conditions: [{ type: 'consent', channel: 'sms', status: 'bounced' }] },
        { type: 'consent', channel: 'email', status: 'unsubscribed' },
      ],
    };
    await db.execute(
      sql`INSERT INTO smart_lists (account_id, name, filter) VALUES (${a}, 'Bounced', ${JSON.stringify(filter)}::jsonb)`,
    );

    expect(await migrate(database)).toContain('0018_deliverability.sql');

    expect(
      await rows(
        db,
        sql`SELECT account_id::int AS account, channel, address, state, reason FROM address_deliverability
            ORDER BY account_id, channel, address`,
      ),
    ).toEqual([
      {
        account: a,
        channel: 'email',
        address: 'bounced@example.org',
        state: 'hard_bounced',
        reason: 'migrated',
      },
      { account: a, channel: 'sms', address: '+4915100000002', state: 'hard_bounced', reason: 'migrated' },
      { account: a, channel: 'sms', address: '+4915100000004', state: 'hard_bounced', reason: 'migrated' },
      {
        account: b,
        channel: 'email',
        address: 'bounced@example.org',
        state: 'complained',
        reason: 'abuse report',
      },
    ]);
    expect(
      await rows(
        db,
        sql`SELECT coalesce(email, phone) AS who, email_consent AS email, sms_consent AS sms FROM contacts
            WHERE deleted_at IS NULL ORDER BY id`,
      ),
    ).toEqual([
      { who: 'Bounced@Example.org', email: 'subscribed', sms: 'subscribed' },
      { who: 'fine@example.org', email: 'subscribed', sms: 'subscribed' },
      { who: 'gone@example.org', email: 'unsubscribed', sms: 'subscribed' },
      { who: '+4915100000004', email: 'subscribed', sms: 'subscribed' },
      { who: 'bounced@example.org', email: 'subscribed', sms: 'unsubscribed' },
    ]);
    const [list] = await rows<{ filter: unknown }>(
      db,
      sql`SELECT filter FROM smart_lists WHERE account_id = ${a}`,
    );
    expect(typeof list!.filter === 'string' ? JSON.parse(list!.filter) : list!.filter).toEqual({
      op: 'or',
      conditions: [
        { type: 'deliverability', channel: 'email', state: 'hard_bounced' },
        { op: 'and', conditions: [{ type: 'deliverability', channel: 'sms', state: 'hard_bounced' }] },
        { type: 'consent', channel: 'email', status: 'unsubscribed' },
      ],
    });

    for (const column of ['email_consent', 'sms_consent']) {
      await expect(
        db.execute(sql`UPDATE contacts SET ${sql.raw(column)} = 'bounced' WHERE account_id = ${a}`),
      ).rejects.toThrow();
    }
  });
});
