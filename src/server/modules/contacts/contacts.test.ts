import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';

describe(`contacts API (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let base: string;
  const url = (path: string) => `/api/accounts/${tenant.subId}${path}`;

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    base = url('/contacts');
  });
  afterAll(() => h.close());

  it('creates a contact, normalising email and phone (E.164), and records who did it', async () => {
    const res = await owner.request('POST', base, {
      email: 'Anna.Schmidt@Example.COM',
      phone: '0151 2345 6789',
      firstName: 'Anna',
      lastName: 'Schmidt',
    });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      email: 'anna.schmidt@example.com',
      phone: '+4915123456789',
      firstName: 'Anna',
      emailConsent: 'subscribed',
      createdBy: owner.userId,
    });
    const fetched = await owner.request('GET', `${base}/${c.id}`);
    expect(fetched.json()).toEqual(c);
  });

  it('answers bad input with 400 and the field', async () => {
    const cases: [unknown, string][] = [
      [{ email: 'not-an-email' }, 'body.email'],
      [{ phone: '12' }, 'body.phone'],
      [{ phone: 'call me maybe' }, 'phone'],
      [{ firstName: 'No Way To Reach' }, 'body.email'],
      [{ email: 'x@example.com', customFields: { shoe_size: 42 } }, 'customFields.shoe_size'],
      [{ email: 'x@example.com', nickname: 'X' }, 'body'],
      [{ email: 'x@example.com', emailConsent: 'maybe' }, 'body.emailConsent'],
      [{ email: 'x@example.com', tagIds: ['999999'] }, 'tagIds'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.request('POST', base, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(
        error.details.fields.map((f: { field: string }) => f.field),
        JSON.stringify(body),
      ).toContain(field);
    }
  });

  it('keeps email unique per account whatever the case, and phone unique when present', async () => {
    await owner.request('POST', base, { email: 'unique@example.com', phone: '+49 30 1234567' });
    const dupEmail = await owner.request('POST', base, { email: 'UNIQUE@example.com' });
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json().error).toMatchObject({
      code: 'EMAIL_TAKEN',
      details: { fields: [{ field: 'email' }] },
    });
    const dupPhone = await owner.request('POST', base, { email: 'other@example.com', phone: '030 1234567' });
    expect(dupPhone.statusCode).toBe(409);
    expect(dupPhone.json().error.details.fields[0].field).toBe('phone');
    // Another account may have the same email.
    const other = await owner.request('POST', `/api/accounts/${tenant.agencyId}/contacts`, {
      email: 'unique@example.com',
    });
    expect(other.statusCode).toBe(201);
  });

  it('validates custom fields by their type and merges updates key by key', async () => {
    await owner.request('POST', url('/custom-fields'), {
      key: 'shoe_size',
      label: 'Shoe size',
      type: 'number',
    });
    await owner.request('POST', url('/custom-fields'), { key: 'birthday', label: 'Birthday', type: 'date' });
    await owner.request('POST', url('/custom-fields'), { key: 'vip', label: 'VIP', type: 'boolean' });
    const dup = await owner.request('POST', url('/custom-fields'), {
      key: 'vip',
      label: 'Again',
      type: 'text',
    });
    expect(dup.statusCode).toBe(409);
    const wrong = await owner.request('POST', base, {
      email: 'typed@example.com',
      customFields: { shoe_size: 'big', birthday: '31.12.1990' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      wrong
        .json()
        .error.details.fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['customFields.birthday', 'customFields.shoe_size']);
    const ok = await owner.request('POST', base, {
      email: 'typed@example.com',
      customFields: { shoe_size: 42, birthday: '1990-12-31' },
    });
    expect(ok.statusCode).toBe(201);
    const updated = await owner.request('PATCH', `${base}/${ok.json().id}`, {
      customFields: { vip: true, shoe_size: null },
    });
    expect(updated.json().customFields).toEqual({ birthday: '1990-12-31', vip: true });
  });

  it('manages tags and lists, per contact, and deletes softly', async () => {
    const vip = (await owner.request('POST', url('/tags'), { name: 'VIP', color: '#aa3300' })).json();
    expect((await owner.request('POST', url('/tags'), { name: 'vip' })).statusCode).toBe(409);
    const news = (await owner.request('POST', url('/lists'), { name: 'Newsletter' })).json();
    const c = (
      await owner.request('POST', base, { email: 'tagged@example.com', tagIds: [vip.id], listIds: [news.id] })
    ).json();
    expect(c.tagIds).toEqual([vip.id]);
    expect(c.listIds).toEqual([news.id]);
    expect((await owner.request('DELETE', `${base}/${c.id}/tags/${vip.id}`)).json().tagIds).toEqual([]);
    expect((await owner.request('PUT', `${base}/${c.id}/tags/${vip.id}`)).json().tagIds).toEqual([vip.id]);
    expect((await owner.request('PUT', `${base}/${c.id}/tags/999999`)).statusCode).toBe(404);
    expect((await owner.request('DELETE', `${base}/${c.id}/lists/${news.id}`)).json().listIds).toEqual([]);
    const tags = (await owner.request('GET', url('/tags'))).json().items;
    expect(tags.find((t: { id: string }) => t.id === vip.id).contactCount).toBe(1);

    expect((await owner.request('DELETE', `${base}/${c.id}`)).statusCode).toBe(204);
    expect((await owner.request('GET', `${base}/${c.id}`)).statusCode).toBe(404);
    // A deleted contact no longer holds its email: a new contact may take it.
    expect((await owner.request('POST', base, { email: 'tagged@example.com' })).statusCode).toBe(201);
    const afterDelete = (await owner.request('GET', url('/tags'))).json().items;
    expect(afterDelete.find((t: { id: string }) => t.id === vip.id).contactCount).toBe(0);
  });

  it('searches by name, email and phone', async () => {
    await owner.request('POST', base, {
      email: 'greta.weber@mail.example',
      firstName: 'Greta',
      lastName: 'Weber',
      phone: '+49 170 9876543',
    });
    const names = async (search: string) =>
      (await owner.request('GET', `${base}?search=${encodeURIComponent(search)}`))
        .json()
        .items.map((c: { email: string }) => c.email);
    expect(await names('greta')).toEqual(['greta.weber@mail.example']);
    expect(await names('Weber')).toEqual(['greta.weber@mail.example']);
    expect(await names('greta web')).toEqual(['greta.weber@mail.example']);
    expect(await names('greta.w')).toEqual(['greta.weber@mail.example']);
    expect(await names('9876543')).toEqual(['greta.weber@mail.example']);
    expect(await names('%')).toEqual([]);
  });

  it('pages with a keyset cursor that stays stable while contacts are added', async () => {
    const t = await createTenant(h.db.database.db);
    const c = await login(h.app, t.users.owner, TEST_PASSWORD);
    const b = `/api/accounts/${t.subId}/contacts`;
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      h.clock.advance(1000);
      created.push(
        (await c.request('POST', b, { email: `p${String(i).padStart(2, '0')}@example.com` })).json().id,
      );
    }
    for (const [sort, dir] of [
      ['created_at', 'desc'],
      ['email', 'asc'],
      ['id', 'asc'],
      ['updated_at', 'asc'],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let extra = 0;
      do {
        const qs: string = `?sort=${sort}&dir=${dir}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await c.request('GET', `${b}${qs}`)).json();
        seen.push(...page.items.map((x: { id: string }) => x.id));
        cursor = page.nextCursor;
        // Someone adds contacts between page loads.
        h.clock.advance(1000);
        await c.request('POST', b, { email: `late-${sort}-${extra++}@example.com` });
      } while (cursor);
      expect(new Set(seen).size, `${sort} ${dir}: no duplicates`).toBe(seen.length);
      for (const id of created) expect(seen, `${sort} ${dir}: all originals seen`).toContain(id);
    }
    const tampered = await c.request(
      'GET',
      `${b}?cursor=${Buffer.from('["not a date", 1]').toString('base64url')}`,
    );
    expect(tampered.statusCode).toBe(400);
  });
});
