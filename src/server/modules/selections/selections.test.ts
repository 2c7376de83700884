import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { sql } from 'drizzle-orm';
import { asAccountId } from '../../db/tenant.ts';
import { rows } from '../../db/types.ts';
import { seedContacts } from '../../seed/demo.ts';

describe(`selections (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;
  let allIds: string[];
  /** Every contact as the plain list returns it: the independent ground truth the selections are checked against. */
  let all: { id: string; email: string | null; firstName: string | null; lastName: string | null }[];

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await seedContacts(h.db.database.db, Number(tenant.subId), 120);
    all = [];
    let cursor: string | null = null;
    do {
      const page: { items: typeof all; nextCursor: string | null } = (
        await owner.request(
          'GET',
          url(`/contacts?sort=id&dir=asc&limit=200${cursor ? `&cursor=${cursor}` : ''}`),
        )
      ).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    allIds = all.map((c) => c.id);
    expect(allIds).toHaveLength(120);
  });
  afterAll(() => h.close());

  const preview = async (selection: unknown, sampleSize?: number) => {
    const res = await owner.request('POST', url('/selections/preview'), { selection, sampleSize });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ count: number; sample: { id: string }[] }>();
  };

  it('counts explicit ids, and refuses ids of another account, unknown or deleted ones, naming them', async () => {
    const other = await createTenant(h.db.database.db);
    await seedContacts(h.db.database.db, Number(other.subId), 3);
    const [foreign] = await rows<{ id: string }>(
      h.db.database.db,
      sql`SELECT id::text AS id FROM contacts WHERE account_id = ${Number(other.subId)} ORDER BY id LIMIT 1`,
    );
    const gone = (await owner.request('POST', url('/contacts'), { email: 'gone@example.org' })).json().id;
    expect((await owner.request('DELETE', url(`/contacts/${gone}`))).statusCode).toBe(204);

    const res = await preview({ contactIds: allIds.slice(0, 5) });
    expect(res.count).toBe(5);
    expect(res.sample.map((c) => c.id)).toEqual(allIds.slice(0, 5));

    for (const stranger of [foreign!.id, '999999999', gone]) {
      const refused = await owner.request('POST', url('/selections/preview'), {
        selection: { contactIds: [...allIds.slice(0, 5), stranger] },
      });
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.json().error).toMatchObject({ code: 'NOT_FOUND', details: { ids: [stranger] } });
    }
    // Exclusions of contacts that are not there exclude nothing, and are ignored (documented).
    const minusStrangers = await preview({
      filter: { op: 'and', conditions: [] },
      excludeIds: [foreign!.id, '999999999', gone],
    });
    expect(minusStrangers.count).toBe(120);
  });

  it('selects all matching a filter except a few, and a search finds what the names say', async () => {
    const everyone = await preview({ filter: { op: 'and', conditions: [] } }, 3);
    expect(everyone.count).toBe(120);
    expect(everyone.sample).toHaveLength(3);
    const minus = await preview({ filter: { op: 'and', conditions: [] }, excludeIds: allIds.slice(0, 3) });
    expect(minus.count).toBe(117);
    expect(minus.sample.map((c) => c.id)).toEqual(allIds.slice(3, 13));
    // Computed here from the plain list, not through the search predicate under test.
    const starts = (v: string | null, w: string) => (v ?? '').toLowerCase().startsWith(w);
    const annas = all.filter(
      (c) => starts(c.firstName, 'anna') || starts(c.lastName, 'anna') || starts(c.email, 'anna'),
    );
    expect(annas.length).toBeGreaterThan(0);
    expect(annas.length).toBeLessThan(120);
    const searched = await preview({ filter: { op: 'and', conditions: [] }, search: 'anna' }, 50);
    expect(searched.count).toBe(annas.length);
    expect(searched.sample.map((c) => c.id)).toEqual(annas.slice(0, 50).map((c) => c.id));
  });

  it('selects a SmartList minus exclusions, and 404s an unknown SmartList', async () => {
    const list = (
      await owner.request('POST', url('/smart-lists'), {
        name: 'example.com',
        filter: { op: 'and', conditions: [{ type: 'email_domain', op: 'equals', value: 'example.com' }] },
      })
    ).json();
    // The expectation, computed here from the plain list of contacts.
    const members = all.filter((c) => c.email?.endsWith('@example.com'));
    const outsider = all.find((c) => !c.email?.endsWith('@example.com'));
    expect(members.length).toBeGreaterThan(1);
    expect(outsider).toBeDefined();
    const count = (await owner.request('GET', url(`/smart-lists/${list.id}/count`))).json().count;
    expect(count).toBe(members.length);
    const res = await preview({ smartListId: list.id, excludeIds: [members[0]!.id] }, 50);
    expect(res.count).toBe(members.length - 1);
    expect(res.sample.map((c) => c.id)).toEqual(members.slice(1, 51).map((c) => c.id));
    // Excluding a contact that is not in the list changes nothing.
    expect((await preview({ smartListId: list.id, excludeIds: [outsider!.id] })).count).toBe(members.length);
    expect(
      (await owner.request('POST', url('/selections/preview'), { selection: { smartListId: '999999' } }))
        .statusCode,
    ).toBe(404);
  });

  it('rejects a selection of no kind or of two kinds', async () => {
    expect((await owner.request('POST', url('/selections/preview'), { selection: {} })).statusCode).toBe(400);
    expect(
      (
        await owner.request('POST', url('/selections/preview'), {
          selection: { contactIds: ['1'], smartListId: '1' },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('streams ids in batches, in id order, without duplicates, honouring exclusions', async () => {
    const batches: number[][] = [];
    for await (const batch of h.services.selections.streamIds(
      asAccountId(Number(tenant.subId)),
      { filter: { op: 'and', conditions: [] }, excludeIds: [allIds[10]!] },
      25,
    )) {
      batches.push(batch);
    }
    expect(batches.map((b) => b.length)).toEqual([25, 25, 25, 25, 19]);
    expect(batches.flat().map(String)).toEqual(allIds.filter((id) => id !== allIds[10]));
  });
});
