// Generated demo contacts keep consent a choice: the "bounced" ones are hard-bounced addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../test/helpers/database.ts';
import { rows } from '../db/types.ts';
import { insertAccount } from '../modules/accounts/accounts.repo.ts';
import { generateContacts } from './contact-generator.ts';

describe(`generated contacts (${ENGINE})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.dispose());

  it('marks every 97th generated email hard-bounced, with consent left subscribed or unsubscribed', async () => {
    const accountId = await insertAccount(db.database.db, { name: 'Demo', kind: 'agency', parentId: null });
    await generateContacts(db.database, accountId, 300);
    const consents = await rows<{ consent: string }>(
      db.database.db,
      sql`SELECT DISTINCT email_consent AS consent FROM contacts WHERE account_id = ${accountId} ORDER BY 1`,
    );
    expect(consents.map((c) => c.consent)).toEqual(['subscribed', 'unsubscribed']);
    const bounced = await rows<{ address: string; state: string }>(
      db.database.db,
      sql`SELECT address, state FROM address_deliverability WHERE account_id = ${accountId} ORDER BY address`,
    );
    // i = 0, 97, 194, 291 have emails (i % 17 !== 5): four addresses, each the i-th contact's.
    expect(bounced).toHaveLength(4);
    for (const b of bounced) {
      expect(b.state).toBe('hard_bounced');
      expect(Number(/\.[0-9a-f]{4}(\d+)@/.exec(b.address)![1]) % 97).toBe(0);
    }
  });
});
