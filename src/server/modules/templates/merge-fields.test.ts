import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, ENGINE, type TestDatabase } from '../../../../test/helpers/database.ts';
import { createTenant } from '../../../../test/helpers/tenants.ts';
import { asAccountId, withTenant, type AccountId } from '../../db/tenant.ts';
import { rows } from '../../db/types.ts';
import { insertAccount } from '../accounts/accounts.repo.ts';
import { insertField } from '../contacts/catalog.repo.ts';
import { liveContacts } from '../contacts/contacts.repo.ts';
import { compileEmail, renderEmail } from './email-compose.ts';
import { missingFieldCounts, mergeFieldsOf, unknownFields, valuesForContacts } from './merge-fields.ts';

describe(`merge fields (${ENGINE})`, () => {
  let t: TestDatabase;
  let account: AccountId;
  let other: AccountId;
  const ids: Record<string, number> = {};

  const addContact = async (
    accountId: AccountId,
    c: { email?: string; phone?: string; first?: string | null; last?: string | null; custom?: object },
  ): Promise<number> => {
    const [row] = await rows<{ id: number }>(
      t.database.db,
      sql`INSERT INTO contacts (account_id, email, phone, first_name, last_name, custom_fields)
          VALUES (${accountId}, ${c.email ?? null}, ${c.phone ?? null}, ${c.first ?? null}, ${c.last ?? null},
                  ${JSON.stringify(c.custom ?? {})}::jsonb)
          RETURNING id`,
    );
    return Number(row!.id);
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    const tenant = await createTenant(t.database.db);
    account = asAccountId(Number(tenant.subId));
    other = asAccountId(
      await insertAccount(t.database.db, { name: 'Other', kind: 'agency', parentId: null }),
    );
    await insertField(t.database.db, account, { key: 'plan', label: 'Tarif', type: 'text' });
    await insertField(t.database.db, account, { key: 'score', label: 'Punkte', type: 'number' });
    await insertField(t.database.db, account, { key: 'birthday', label: 'Geburtstag', type: 'date' });
    await insertField(t.database.db, account, { key: 'vip', label: 'VIP', type: 'boolean' });
    await insertField(t.database.db, other, { key: 'secret', label: 'Secret', type: 'text' });
    ids.anna = await addContact(account, {
      email: 'anna@example.org',
      phone: '+4930123456',
      first: 'Anna',
      last: 'Müller',
      custom: { plan: 'Gold', score: 41.5, birthday: '1990-02-28', vip: false },
    });
    ids.script = await addContact(account, {
      email: 'x@example.org',
      first: '<script>',
      custom: { plan: '' },
    });
    ids.bare = await addContact(account, { phone: '+4930999999', first: '' });
    ids.foreign = await addContact(other, {
      email: 'f@example.org',
      first: 'Foreign',
      custom: { secret: 's' },
    });
    ids.deleted = await addContact(account, { email: 'd@example.org', first: 'Deleted' });
    await t.database.db.execute(sql`UPDATE contacts SET deleted_at = now() WHERE id = ${ids.deleted}`);
  });
  afterAll(() => t.dispose());

  it('lists standard, custom and system fields; unsubscribe_url only for email', async () => {
    const catalog = await withTenant(t.database.db, account, (tx) => mergeFieldsOf(tx, account));
    expect(catalog.map((f) => f.key)).toEqual([
      'first_name',
      'last_name',
      'email',
      'phone',
      'birthday',
      'plan',
      'score',
      'vip',
      'unsubscribe_url',
      'account_name',
    ]);
    expect(catalog.find((f) => f.key === 'score')).toMatchObject({
      kind: 'custom',
      label: 'Punkte',
      type: 'number',
    });
    expect(
      unknownFields(['first_name', 'plan', 'secret', 'nope', 'unsubscribe_url'], catalog, 'email'),
    ).toEqual(['nope', 'secret']);
    expect(unknownFields(['unsubscribe_url', 'account_name'], catalog, 'sms')).toEqual(['unsubscribe_url']);
  });

  it('loads only the asked fields of live contacts of the account, typed, in one statement', async () => {
    const values = await withTenant(t.database.db, account, (tx) =>
      valuesForContacts(
        tx,
        account,
        [ids.anna!, ids.script!, ids.bare!, ids.foreign!, ids.deleted!],
        [
          'first_name',
          'last_name',
          'phone',
          'plan',
          'score',
          'birthday',
          'vip',
          'account_name',
          'unsubscribe_url',
          'gone',
        ],
      ),
    );
    expect([...values.keys()].sort((a, b) => a - b)).toEqual([ids.anna, ids.script, ids.bare]);
    expect(values.get(ids.anna!)).toEqual({
      first_name: 'Anna',
      last_name: 'Müller',
      phone: '+4930123456',
      plan: 'Gold',
      score: 41.5,
      birthday: '1990-02-28',
      vip: false,
      account_name: expect.stringMatching(/^Client /),
      gone: null,
    });
    expect(values.get(ids.bare!)).toMatchObject({ first_name: null, plan: null, score: null });
    const only = await valuesForContacts(t.database.db, account, [ids.anna!], ['email']);
    expect(only.get(ids.anna!)).toEqual({ email: 'anna@example.org' });
    expect((await valuesForContacts(t.database.db, account, [], ['email'])).size).toBe(0);
  });

  it('renders what it loads: escaped HTML, defaults for the missing, dates by the date filter', async () => {
    const email = compileEmail({
      subject: 'Hallo {{ first_name | default: "Kundin, Kunde" }}',
      html: '<p>{{ first_name | default: "Kundin, Kunde" }}, {{ plan | default: "Basis" }}, {{ birthday | date: "%d.%m.%Y" }}</p>',
    });
    const values = await valuesForContacts(
      t.database.db,
      account,
      [ids.anna!, ids.script!, ids.bare!],
      email.fields,
    );
    expect(renderEmail(email, values.get(ids.anna!)!).html).toBe('<p>Anna, Gold, 28.02.1990</p>');
    expect(renderEmail(email, values.get(ids.script!)!).html).toBe('<p>&lt;script&gt;, Basis, </p>');
    expect(renderEmail(email, values.get(ids.bare!)!).subject).toBe('Hallo Kundin, Kunde');
  });

  it('counts per used field the recipients who lack it, by predicate or by ids', async () => {
    const fields = [
      'first_name',
      'last_name',
      'email',
      'plan',
      'score',
      'vip',
      'account_name',
      'unsubscribe_url',
    ];
    const byWhere = await withTenant(t.database.db, account, (tx) =>
      missingFieldCounts(tx, account, { where: liveContacts(account) }, fields),
    );
    // anna has all; script lacks last_name, plan (empty), score, vip; bare lacks first_name (empty),
    // last_name, email, plan, score, vip. vip=false is a value, not a gap. System fields never lack.
    expect(byWhere).toEqual([
      { field: 'email', count: 1 },
      { field: 'first_name', count: 1 },
      { field: 'last_name', count: 2 },
      { field: 'plan', count: 2 },
      { field: 'score', count: 2 },
      { field: 'vip', count: 2 },
    ]);
    const byIds = await missingFieldCounts(
      t.database.db,
      account,
      { contactIds: [ids.anna!, ids.script!, ids.foreign!, ids.deleted!] },
      fields,
    );
    expect(byIds).toEqual([
      { field: 'last_name', count: 1 },
      { field: 'plan', count: 1 },
      { field: 'score', count: 1 },
      { field: 'vip', count: 1 },
    ]);
    expect(await missingFieldCounts(t.database.db, account, { contactIds: [] }, fields)).toEqual([]);
    expect(
      await missingFieldCounts(t.database.db, account, { contactIds: [ids.anna!] }, ['unsubscribe_url']),
    ).toEqual([]);
  });
});
