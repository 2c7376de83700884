import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';

// Issue 9 §7: what users type into search and filter values is normalised like stored values.
describe(`search and filters find what users type (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (path: string) => `/api/accounts/${tenant.subId}${path}`;
  let phoneContact: string;
  let anna: string;
  let mueller: string;

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const create = async (body: object) => {
      const res = await owner.request('POST', url('/contacts'), body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; phone: string | null; lastName: string | null }>();
    };
    const p = await create({ email: 'berlin@example.com', phone: '+49 30 3861682' });
    expect(p.phone).toBe('+49303861682');
    phoneContact = p.id;
    anna = (await create({ email: 'Anna@Example.com', firstName: 'Anna', lastName: 'Schmidt' })).id;
    // Saved with a decomposed ü (u + U+0308): stored in NFC.
    const m = await create({ email: 'm@example.com', firstName: 'Jörg', lastName: 'Mu\u0308ller' });
    expect(m.lastName).toBe('M\u00fcller');
    mueller = m.id;
    await create({ email: 'mueller@example.com', firstName: 'Hans', lastName: 'Mueller' });
  });
  afterAll(() => h.close());

  const search = async (term: string) => {
    const res = await owner.request('GET', url(`/contacts?search=${encodeURIComponent(term)}`));
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { id: string }[]).map((c) => c.id);
  };
  const filtered = async (conditions: object[]) => {
    const res = await owner.request('POST', url('/selections/preview'), {
      selection: { filter: { op: 'and', conditions } },
      sampleSize: 50,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().sample as { id: string }[]).map((c) => c.id);
  };

  it('search finds a phone however it is typed', async () => {
    for (const term of [
      '030 3861682',
      '+49 30 3861682',
      '0049 30 3861682',
      '0303861682',
      '3861682',
      '030/386 16 82',
    ])
      expect(await search(term), term).toEqual([phoneContact]);
  });

  it('a phone filter normalises its value: equals, contains, starts with', async () => {
    const phone = (op: string, value: string) => filtered([{ type: 'field', field: 'phone', op, value }]);
    expect(await phone('equals', '030 3861682')).toEqual([phoneContact]);
    expect(await phone('equals', '0049 30 3861682')).toEqual([phoneContact]);
    expect(await phone('not_equals', '030 3861682')).not.toContain(phoneContact);
    expect(await phone('contains', '386 1682')).toEqual([phoneContact]);
    expect(await phone('contains', '030 386')).toEqual([phoneContact]);
    expect(await phone('starts_with', '030')).toEqual([phoneContact]);
    expect(await phone('starts_with', '+49 30')).toEqual([phoneContact]);
    expect(await phone('starts_with', '040')).toEqual([]);
  });

  it('names and emails match regardless of case and surrounding spaces', async () => {
    expect(await search(' Anna ')).toEqual([anna]);
    expect(await search('ANNA@EXAMPLE.COM')).toEqual([anna]);
    expect(await search('  anna   schmidt ')).toEqual([anna]);
    expect(
      await filtered([{ type: 'field', field: 'email', op: 'equals', value: ' ANNA@EXAMPLE.COM ' }]),
    ).toEqual([anna]);
    expect(await filtered([{ type: 'field', field: 'first_name', op: 'equals', value: ' aNNA ' }])).toEqual([
      anna,
    ]);
    expect(await filtered([{ type: 'field', field: 'last_name', op: 'starts_with', value: 'SCHM' }])).toEqual(
      [anna],
    );
  });

  it('umlauts match their own forms (NFC and NFD, either case), not spelled-out ones', async () => {
    for (const term of ['Müller', 'Mu\u0308ller', 'MÜLLER', 'MU\u0308LLER', 'jörg', 'JO\u0308RG'])
      expect(await search(term), term).toEqual([mueller]);
    expect(
      await filtered([{ type: 'field', field: 'last_name', op: 'equals', value: 'MU\u0308LLER' }]),
    ).toEqual([mueller]);
    expect(await filtered([{ type: 'field', field: 'last_name', op: 'contains', value: 'Ü' }])).toEqual([
      mueller,
    ]);
    // "ue" is a different spelling (and a different person here): not equated.
    expect(
      await filtered([{ type: 'field', field: 'last_name', op: 'equals', value: 'mueller' }]),
    ).not.toContain(mueller);
  });
});
