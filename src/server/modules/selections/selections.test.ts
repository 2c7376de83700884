import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { asAccountId } from '../../db/tenant.ts';
import { seedContacts } from '../../seed/demo.ts';

describe(`selections (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;
  let allIds: string[];

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await seedContacts(h.db.database.db, Number(tenant.subId), 120);
    allIds = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await owner.request(
          'GET',
          url(`/contacts?sort=id&dir=asc&limit=200${cursor ? `&cursor=${cursor}` : ''}`),
        )
      ).json();
      allIds.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
  });
  afterAll(() => h.close());

  const preview = async (selection: unknown, sampleSize?: number) => {
    const res = await owner.request('POST', url('/selections/preview'), { selection, sampleSize });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ count: number; sample: { id: string }[] }>();
  };

  it('counts explicit ids, ignoring foreign and unknown ones', async () => {
    const other = await createTenant(h.db.database.db);
    await seedContacts(h.db.database.db, Number(other.subId), 3);
    const res = await preview({ contactIds: [...allIds.slice(0, 5), '999999999'] });
    expect(res.count).toBe(5);
    expect(res.sample.map((c) => c.id)).toEqual(allIds.slice(0, 5));
  });

  it('selects all matching a filter except a few', async () => {
    const all = await preview({ filter: { op: 'and', conditions: [] } }, 3);
    expect(all.count).toBe(120);
    expect(all.sample).toHaveLength(3);
    const minus = await preview({ filter: { op: 'and', conditions: [] }, excludeIds: allIds.slice(0, 3) });
    expect(minus.count).toBe(117);
    const searched = await preview({ filter: { op: 'and', conditions: [] }, search: 'anna' });
    const page = (await owner.request('GET', url('/contacts?search=anna&limit=200'))).json();
    expect(searched.count).toBe(page.items.length);
  });

  it('selects a SmartList minus exclusions, and 404s an unknown SmartList', async () => {
    const list = (
      await owner.request('POST', url('/smart-lists'), {
        name: 'example.com',
        filter: { op: 'and', conditions: [{ type: 'email_domain', op: 'equals', value: 'example.com' }] },
      })
    ).json();
    const count = (await owner.request('GET', url(`/smart-lists/${list.id}/count`))).json().count;
    expect(count).toBeGreaterThan(0);
    const res = await preview({ smartListId: list.id, excludeIds: [allIds[0]] });
    expect([count, count - 1]).toContain(res.count);
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
