import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from './helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from './helpers/tenants.ts';
import { ENGINE } from './helpers/database.ts';
import { seedContacts } from '../src/server/seed/demo.ts';

// Issue 9, section 3: each example of "no input can cause a 500" answers 400 with an error code.
describe(`input boundary (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;
  let contactId: string;

  /** Asserts a 400 with a stable code; returns the error body. */
  async function refused(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    code: string | RegExp = /^(VALIDATION_FAILED|BAD_REQUEST)$/,
  ) {
    const res = await owner.request(method, path, body);
    expect(
      res.statusCode,
      `${method} ${path.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 200)}: ${res.body}`,
    ).toBe(400);
    const error = res.json<{ error: { code: string; details?: { fields?: { field: string }[] } } }>().error;
    expect(error.code).toMatch(code);
    return error;
  }

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await seedContacts(h.db.database.db, Number(tenant.subId), 30);
    const created = await owner.request('POST', url('/contacts'), { email: 'boundary@example.com' });
    contactId = created.json<{ id: string }>().id;
    const field = await owner.request('POST', url('/custom-fields'), {
      key: 'birthday',
      label: 'Birthday',
      type: 'date',
    });
    expect(field.statusCode).toBe(201);
    await owner.request('POST', url('/custom-fields'), { key: 'score', label: 'Score', type: 'number' });
  });
  afterAll(() => h.close());

  it('refuses NUL and lone surrogates in names, search and filter values', async () => {
    for (const bad of ['a\u0000b', 'x\ud800', '\udc00y']) {
      await refused('POST', url('/tags'), { name: bad });
      await refused('POST', url('/lists'), { name: bad });
      await refused('POST', url('/custom-fields'), { key: 'nick', label: bad, type: 'text' });
      await refused('POST', url('/smart-lists'), { name: bad, filter: { op: 'and', conditions: [] } });
      if (bad.includes('\u0000')) await refused('GET', url(`/contacts?search=${encodeURIComponent(bad)}`));
      else {
        // A lone surrogate cannot be percent-encoded as UTF-8; its WTF-8 bytes decode to U+FFFD.
        const wtf8 = await owner.request('GET', url(`/contacts?search=%ED%A0%80`));
        expect(wtf8.statusCode).toBeLessThan(500);
      }
      await refused('PATCH', url(`/contacts/${contactId}`), { firstName: bad });
      const filter = {
        op: 'and',
        conditions: [{ type: 'field', field: 'first_name', op: 'equals', value: bad }],
      };
      await refused('POST', url('/smart-lists/preview'), { filter });
      await refused('GET', url(`/contacts?filter=${encodeURIComponent(JSON.stringify(filter))}`));
      await refused('POST', url('/bulk-actions'), {
        type: 'delete_contacts',
        selection: { contactIds: [contactId] },
        name: bad,
      });
      const settings = await owner.request('PATCH', '/api/me/settings', { name: bad });
      expect(settings.statusCode).toBe(400);
      const token = await owner.request('POST', '/api/me/tokens', { name: bad });
      expect(token.statusCode).toBe(400);
    }
  });

  it('refuses impossible and out-of-range dates in filters, date ranges, scheduledFor and custom fields', async () => {
    for (const day of ['2026-02-31', '0000-01-01', '2026-13-01']) {
      const error = await refused('PATCH', url(`/contacts/${contactId}`), {
        customFields: { birthday: day },
      });
      expect(error.details?.fields?.map((f) => f.field)).toContain('customFields.birthday');
      for (const field of ['created_at', 'custom.birthday']) {
        await refused('POST', url('/smart-lists/preview'), {
          filter: { op: 'and', conditions: [{ type: 'field', field, op: 'equals', value: day }] },
        });
        await refused('POST', url('/smart-lists/preview'), {
          filter: { op: 'and', conditions: [{ type: 'field', field, op: 'after', value: day }] },
        });
      }
      const at = `${day}T10:00:00Z`;
      await refused('POST', url('/smart-lists/preview'), {
        filter: { op: 'and', conditions: [{ type: 'created', from: at }] },
      });
      await refused('GET', url(`/bulk-actions?from=${encodeURIComponent(at)}`));
      await refused('GET', url(`/notifications?to=${encodeURIComponent(at)}`));
      await refused('POST', url('/bulk-actions'), {
        type: 'delete_contacts',
        selection: { contactIds: [contactId] },
        scheduledFor: at,
      });
    }
    // A real day still works.
    const ok = await owner.request('PATCH', url(`/contacts/${contactId}`), {
      customFields: { birthday: '2024-02-29' },
    });
    expect(ok.statusCode).toBe(200);
    // Numbers out of range are refused too, as stored values and as filter values.
    await refused('PATCH', url(`/contacts/${contactId}`), { customFields: { score: 1e300 } });
    await refused('POST', url('/smart-lists/preview'), {
      filter: {
        op: 'and',
        conditions: [{ type: 'field', field: 'custom.score', op: 'equals', value: '1e400' }],
      },
    });
  });

  it('refuses schedule instants after 9999-12-31T23:59:59Z for bulk actions and mailings, naming scheduledFor', async () => {
    const far = '9999-12-31T23:59:59-05:00';
    const fields = (e: { details?: { fields?: { field: string }[] } }) =>
      e.details?.fields?.map((f) => f.field);
    const action = await refused('POST', url('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { contactIds: [contactId] },
      scheduledFor: far,
    });
    expect(fields(action)).toContain('scheduledFor');
    const created = await owner.request('POST', url('/mailings'), {
      name: 'Boundary',
      subject: 'Hi',
      html: '<p>Hi</p>',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    for (const at of [far, '1900-01-01T00:00:00Z'])
      expect(fields(await refused('POST', url(`/mailings/${id}/schedule`), { scheduledFor: at }))).toEqual([
        'scheduledFor',
      ]);
    expect(fields(await refused('POST', url(`/mailings/${id}/reschedule`), { scheduledFor: far }))).toEqual([
      'scheduledFor',
    ]);
  });

  it('refuses ids beyond the id range in paths, bodies and query parameters', async () => {
    const huge = '9999999999999999999';
    await refused('GET', url(`/notifications/${huge}`));
    await refused('GET', url(`/contacts/${huge}`));
    // An account id out of range is an unknown account, like every account the caller cannot reach.
    expect((await owner.request('GET', `/api/accounts/${huge}/contacts`)).statusCode).toBe(404);
    await refused('DELETE', `/api/me/tokens/${huge}`);
    await refused('POST', url('/notifications/mark'), { selection: { ids: [huge] }, read: true });
    await refused('POST', url('/bulk-actions'), {
      type: 'add_tag',
      selection: { contactIds: [huge] },
      tagId: '1',
    });
    await refused('GET', url(`/contacts?smartListId=${huge}`));
    await refused('GET', url(`/notifications?cursor=${huge}`));
    // The mailings routes: ids in paths and bodies, the list's cursor.
    await refused('GET', url(`/mailings/${huge}`));
    await refused('GET', url(`/mailings/${huge}/statistics`));
    await refused('POST', url(`/mailings/${huge}/schedule`), {});
    await refused('POST', url('/mailings/audience'), { listIds: [huge], targetGroupIds: [] });
    await refused('POST', url('/mailings'), { name: 'Huge', listIds: [huge] });
    await refused('GET', url('/mailings?cursor=abc'));
  });

  it('refuses tampered cursors with 400', async () => {
    const page = await owner.request('GET', url('/contacts?limit=5'));
    const cursor = page.json<{ nextCursor: string }>().nextCursor;
    expect(cursor).toBeTruthy();
    expect((await owner.request('GET', url(`/contacts?limit=5&cursor=${cursor}`))).statusCode).toBe(200);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const tampered = [
      `${cursor}x`,
      cursor.slice(0, -3),
      b64(['0000-01-01 00:00:00+00', 1]),
      b64(['2026-02-31 00:00:00+00', 1]),
      b64(['2026-01-01 25:00:00+00', 1]),
      Buffer.from('["2026-01-01 00:00:00+00",99999999999999999999]').toString('base64url'),
      b64(['2026-01-01 00:00:00+00', -1]),
      b64({ key: 1 }),
      'not-a-cursor',
      '%00',
    ];
    for (const c of tampered) await refused('GET', url(`/contacts?limit=5&cursor=${encodeURIComponent(c)}`));
    for (const c of [b64(['a\u0000', 1]), b64(['\ud800', 1])])
      await refused('GET', url(`/contacts?sort=email&cursor=${c}`));
    await refused('GET', url(`/contacts?sort=id&cursor=${b64(['99999999999999999999', 1])}`));
    for (const c of [b64(['0000-01-01T00:00:00.000Z', 1]), b64(['x', 1]), 'abc'])
      await refused('GET', url(`/bulk-actions?cursor=${c}`));
  });

  it('refuses a filter nested 1,000 levels deep (and one past the documented depth) with the path', async () => {
    let deep: unknown = { op: 'and', conditions: [] };
    for (let i = 0; i < 1000; i++) deep = { op: 'and', conditions: [deep] };
    const error = await refused('POST', url('/smart-lists/preview'), { filter: deep });
    expect(error.details?.fields?.[0]?.field).toMatch(/^body\.filter\.conditions\.0\.conditions\.0/);
    await refused('POST', url('/smart-lists'), { name: 'Deep', filter: deep });
    await refused('GET', url(`/contacts?filter=${encodeURIComponent(JSON.stringify(deep))}`));
    await refused('POST', url('/selections/preview'), { selection: { filter: deep } });

    let six: unknown = { op: 'and', conditions: [] };
    for (let i = 0; i < 5; i++) six = { op: 'and', conditions: [six] };
    await refused('POST', url('/smart-lists/preview'), { filter: six });
    let five: unknown = { op: 'and', conditions: [] };
    for (let i = 0; i < 4; i++) five = { op: 'and', conditions: [five] };
    expect((await owner.request('POST', url('/smart-lists/preview'), { filter: five })).statusCode).toBe(200);

    const wide = { op: 'or', conditions: [] as unknown[] };
    for (let i = 0; i < 6; i++)
      wide.conditions.push({
        op: 'or',
        conditions: Array.from({ length: 100 }, () => ({
          type: 'consent',
          channel: 'email',
          status: 'subscribed',
        })),
      });
    await refused('POST', url('/smart-lists/preview'), { filter: wide });
  });

  it('answers 400 SMART_LIST_INVALID on every use of a stored SmartList whose filter is invalid', async () => {
    const created = await owner.request('POST', url('/smart-lists'), {
      name: 'Will break',
      filter: { op: 'and', conditions: [{ type: 'consent', channel: 'email', status: 'subscribed' }] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const stored = {
      op: 'and',
      conditions: [{ type: 'field', field: 'created_at', op: 'equals', value: '2026-02-31' }],
    };
    await h.db.database.db.execute(
      sql`UPDATE smart_lists SET filter = ${JSON.stringify(stored)}::jsonb WHERE id = ${Number(id)}`,
    );
    const invalid = 'SMART_LIST_INVALID';
    const error = await refused('GET', url(`/smart-lists/${id}/count`), undefined, invalid);
    expect(error.details).toMatchObject({ smartListId: id });
    await refused('GET', url(`/contacts?smartListId=${id}`), undefined, invalid);
    await refused('POST', url('/selections/preview'), { selection: { smartListId: id } }, invalid);
    await refused(
      'POST',
      url('/bulk-actions/preview'),
      { type: 'delete_contacts', selection: { smartListId: id } },
      invalid,
    );
    await refused(
      'POST',
      url('/bulk-actions'),
      { type: 'delete_contacts', selection: { smartListId: id } },
      invalid,
    );
    // It can still be listed, opened and fixed.
    const one = await owner.request('GET', url(`/smart-lists/${id}`));
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ filter: stored });
    expect((await owner.request('GET', url('/smart-lists'))).statusCode).toBe(200);
    const fixed = await owner.request('PATCH', url(`/smart-lists/${id}`), {
      filter: { op: 'and', conditions: [] },
    });
    expect(fixed.statusCode).toBe(200);
    expect((await owner.request('GET', url(`/smart-lists/${id}/count`))).statusCode).toBe(200);

    // Stored deeper than allowed: refused the same way, no stack overflow.
    let deep: unknown = { op: 'and', conditions: [] };
    for (let i = 0; i < 1000; i++) deep = { op: 'and', conditions: [deep] };
    await h.db.database.db.execute(
      sql`UPDATE smart_lists SET filter = ${JSON.stringify(deep)}::jsonb WHERE id = ${Number(id)}`,
    );
    await refused('GET', url(`/smart-lists/${id}/count`), undefined, invalid);
    expect((await owner.request('GET', url(`/smart-lists/${id}`))).statusCode).toBe(200);
  });
});
