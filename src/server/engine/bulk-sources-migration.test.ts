// Migration 0023: an unfinished bulk action started from an inline filter on the retired consent
// value `bounced` (0018) freezes on the deliverability condition instead; finished ones keep theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ENGINE } from '../../../test/helpers/database.ts';
import { databaseBefore } from '../../../test/helpers/migrations.ts';
import { migrate } from '../db/migrate.ts';
import { rows, type Database } from '../db/types.ts';
import { insertAccount } from '../modules/accounts/accounts.repo.ts';

const sourceWith = (channel: string) => ({
  kind: 'feature',
  source: {
    selection: {
      filter: {
        op: 'and',
        conditions: [
          { type: 'consent', channel, status: 'bounced' },
          { type: 'consent', channel: 'email', status: 'subscribed' },
        ],
      },
    },
  },
});

describe(`unfinished bulk actions leave the bounced consent value (${ENGINE})`, () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await databaseBefore('0023'));
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('rewrites the filters of actions that still freeze, and leaves ended ones as they were', async () => {
    const db = database.db;
    const account = await insertAccount(db, { name: 'Legacy', kind: 'agency', parentId: null });
    const insert = (status: string, channel: string) =>
      db.execute(sql`
        INSERT INTO bulk_actions (account_id, type, name, status, source, created_at, updated_at)
        VALUES (${account}, 'add_tag', ${`${status} ${channel}`}, ${status},
                ${JSON.stringify(sourceWith(channel))}::jsonb, now(), now())`);
    await insert('preparing', 'email');
    await insert('queued', 'sms');
    await insert('completed', 'email');

    expect(await migrate(database)).toContain('0023_bulk_sources_bounced.sql');

    const found = await rows<{ name: string; source: unknown }>(
      db,
      sql`SELECT name, source FROM bulk_actions ORDER BY id`,
    );
    const conditionsOf = (source: unknown) =>
      (typeof source === 'string' ? JSON.parse(source) : source).source.selection.filter.conditions;
    expect(found.map((r) => [r.name, conditionsOf(r.source)[0]])).toEqual([
      ['preparing email', { type: 'deliverability', channel: 'email', state: 'hard_bounced' }],
      ['queued sms', { type: 'deliverability', channel: 'sms', state: 'hard_bounced' }],
      ['completed email', { type: 'consent', channel: 'email', status: 'bounced' }],
    ]);
    // The other condition stays as it was.
    expect(conditionsOf(found[0]!.source)[1]).toEqual({
      type: 'consent',
      channel: 'email',
      status: 'subscribed',
    });
  });
});
