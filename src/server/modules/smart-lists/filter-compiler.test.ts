// The filter compiler against a table of filters and the exact contacts each must match,
// on a small hand-made account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';
import type { Condition, FilterGroup } from '../../../shared/contacts.ts';

const and = (...conditions: (Condition | FilterGroup)[]): FilterGroup => ({ op: 'and', conditions });
const or = (...conditions: (Condition | FilterGroup)[]): FilterGroup => ({ op: 'or', conditions });

describe(`SmartList filters (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const ids: Record<string, string> = {};
  let vip = '';
  let newsletter = '';
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;

  /** Labels (first names) of the contacts a filter matches, via the live count and the list API. */
  async function matches(filter: FilterGroup): Promise<string[]> {
    const page = await owner.request(
      'GET',
      url(`/contacts?limit=200&sort=id&dir=asc&filter=${encodeURIComponent(JSON.stringify(filter))}`),
    );
    expect(page.statusCode, page.body).toBe(200);
    const names = page.json().items.map((c: { firstName: string }) => c.firstName);
    const count = await owner.request('POST', url('/smart-lists/preview'), { filter });
    expect(count.json().count).toBe(names.length);
    return names.sort();
  }

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    for (const [key, type] of [
      ['score', 'number'],
      ['birthday', 'date'],
      ['member', 'boolean'],
      ['city', 'text'],
    ] as const) {
      await owner.request('POST', url('/custom-fields'), { key, label: key, type });
    }
    vip = (await owner.request('POST', url('/tags'), { name: 'VIP' })).json().id;
    newsletter = (await owner.request('POST', url('/lists'), { name: 'Newsletter' })).json().id;
    const people = [
      {
        firstName: 'Ada',
        email: 'ada@alpha.example',
        phone: '+4915100000001',
        tagIds: [vip],
        listIds: [newsletter],
        customFields: { score: 90, birthday: '1990-05-01', member: true, city: 'Berlin' },
      },
      {
        firstName: 'Ben',
        email: 'ben@beta.example',
        tagIds: [vip],
        customFields: { score: 40, city: 'Hamburg' },
      },
      {
        firstName: 'Cem',
        email: 'cem@alpha.example',
        listIds: [newsletter],
        emailConsent: 'unsubscribed',
        customFields: { score: 65.5, birthday: '2001-01-15', member: false },
      },
      { firstName: 'Dora', phone: '+4915100000004', smsConsent: 'unsubscribed', customFields: { city: '' } },
      { firstName: 'Eve', email: "eve_o'neil@beta.example", lastName: '100% Sure' },
    ];
    for (const p of people) {
      h.clock.advance(11 * 3_600_000); // 11 h apart (under the session's idle timeout)
      const res = await owner.request('POST', url('/contacts'), p);
      expect(res.statusCode, res.body).toBe(201);
      ids[p.firstName] = res.json().id;
    }
    // Deliverability is kept per address, apart from consent: Dora's phone hard-bounced, Ben's
    // email soft-bounced, and an "ok" row (after a delivery) for Ada changes nothing.
    await h.db.database.db.execute(sql`
      INSERT INTO address_deliverability (account_id, channel, address, state, soft_bounces)
      VALUES (${Number(tenant.subId)}, 'sms', '+4915100000004', 'hard_bounced', 0),
             (${Number(tenant.subId)}, 'email', 'ben@beta.example', 'soft_bounced', 1),
             (${Number(tenant.subId)}, 'email', 'ada@alpha.example', 'ok', 0)`);
  });
  afterAll(() => h.close());

  const table: [string, () => FilterGroup, string[]][] = [
    ['empty filter: everyone', () => and(), ['Ada', 'Ben', 'Cem', 'Dora', 'Eve']],
    ['has tag', () => and({ type: 'tag', op: 'has', tagId: vip }), ['Ada', 'Ben']],
    ['has not tag', () => and({ type: 'tag', op: 'has_not', tagId: vip }), ['Cem', 'Dora', 'Eve']],
    ['list member', () => and({ type: 'list', op: 'member', listId: newsletter }), ['Ada', 'Cem']],
    [
      'not list member',
      () => and({ type: 'list', op: 'not_member', listId: newsletter }),
      ['Ben', 'Dora', 'Eve'],
    ],
    [
      'email domain',
      () => and({ type: 'email_domain', op: 'equals', value: 'Alpha.example' }),
      ['Ada', 'Cem'],
    ],
    [
      'email domain not (no email counts as not)',
      () => and({ type: 'email_domain', op: 'not_equals', value: 'alpha.example' }),
      ['Ben', 'Dora', 'Eve'],
    ],
    ['consent', () => and({ type: 'consent', channel: 'email', status: 'unsubscribed' }), ['Cem']],
    ['sms consent', () => and({ type: 'consent', channel: 'sms', status: 'unsubscribed' }), ['Dora']],
    [
      'sms deliverability hard bounced',
      () => and({ type: 'deliverability', channel: 'sms', state: 'hard_bounced' }),
      ['Dora'],
    ],
    [
      'email deliverability soft bounced (the key is the lower-cased address)',
      () => and({ type: 'deliverability', channel: 'email', state: 'soft_bounced' }),
      ['Ben'],
    ],
    [
      'email deliverability ok: an address without a bad state',
      () => and({ type: 'deliverability', channel: 'email', state: 'ok' }),
      ['Ada', 'Cem', 'Eve'],
    ],
    [
      'AND',
      () =>
        and(
          { type: 'tag', op: 'has', tagId: vip },
          { type: 'email_domain', op: 'equals', value: 'alpha.example' },
        ),
      ['Ada'],
    ],
    [
      'OR',
      () =>
        or(
          { type: 'deliverability', channel: 'sms', state: 'hard_bounced' },
          { type: 'email_domain', op: 'equals', value: 'beta.example' },
        ),
      ['Ben', 'Dora', 'Eve'],
    ],
    [
      'nested: VIP and (newsletter or Hamburg)',
      () =>
        and(
          { type: 'tag', op: 'has', tagId: vip },
          or(
            { type: 'list', op: 'member', listId: newsletter },
            { type: 'field', field: 'custom.city', op: 'equals', value: 'hamburg' },
          ),
        ),
      ['Ada', 'Ben'],
    ],
    [
      'text contains (case-insensitive)',
      () => and({ type: 'field', field: 'email', op: 'contains', value: 'ALPHA' }),
      ['Ada', 'Cem'],
    ],
    [
      'starts with',
      () => and({ type: 'field', field: 'first_name', op: 'starts_with', value: 'd' }),
      ['Dora'],
    ],
    [
      'wildcards in values are literal',
      () => and({ type: 'field', field: 'last_name', op: 'contains', value: '100%' }),
      ['Eve'],
    ],
    [
      'underscore is literal',
      () => and({ type: 'field', field: 'email', op: 'contains', value: 'e_o' }),
      ['Eve'],
    ],
    [
      'quote in value',
      () => and({ type: 'field', field: 'email', op: 'starts_with', value: "eve_o'n" }),
      ['Eve'],
    ],
    ['standard field is empty', () => and({ type: 'field', field: 'email', op: 'is_empty' }), ['Dora']],
    [
      'standard field is not empty',
      () => and({ type: 'field', field: 'phone', op: 'is_not_empty' }),
      ['Ada', 'Dora'],
    ],
    [
      'custom text empty includes missing and blank',
      () => and({ type: 'field', field: 'custom.city', op: 'is_empty' }),
      ['Cem', 'Dora', 'Eve'],
    ],
    [
      'number greater than',
      () => and({ type: 'field', field: 'custom.score', op: 'greater_than', value: 60 }),
      ['Ada', 'Cem'],
    ],
    [
      'number less than (missing never matches)',
      () => and({ type: 'field', field: 'custom.score', op: 'less_than', value: 66 }),
      ['Ben', 'Cem'],
    ],
    [
      'number equals a decimal',
      () => and({ type: 'field', field: 'custom.score', op: 'equals', value: 65.5 }),
      ['Cem'],
    ],
    [
      'number not equals (missing counts as not equal)',
      () => and({ type: 'field', field: 'custom.score', op: 'not_equals', value: 90 }),
      ['Ben', 'Cem', 'Dora', 'Eve'],
    ],
    [
      'date before',
      () => and({ type: 'field', field: 'custom.birthday', op: 'before', value: '2000-01-01' }),
      ['Ada'],
    ],
    [
      'date after (the day itself excluded)',
      () => and({ type: 'field', field: 'custom.birthday', op: 'after', value: '2001-01-14' }),
      ['Cem'],
    ],
    [
      'date after, not on the day',
      () => and({ type: 'field', field: 'custom.birthday', op: 'after', value: '2001-01-15' }),
      [],
    ],
    [
      'boolean true',
      () => and({ type: 'field', field: 'custom.member', op: 'equals', value: true }),
      ['Ada'],
    ],
    [
      'boolean false',
      () => and({ type: 'field', field: 'custom.member', op: 'equals', value: false }),
      ['Cem'],
    ],
    [
      'boolean is empty',
      () => and({ type: 'field', field: 'custom.member', op: 'is_empty' }),
      ['Ben', 'Dora', 'Eve'],
    ],
    // Created 11 h apart from 20:00 UTC on 25 November, the last one now (17:00 on 27 November in
    // Berlin, the account's zone): the last day is today, the last two days start on the 26th.
    [
      'created within the last day',
      () => and({ type: 'field', field: 'created_at', op: 'within_last_days', value: 1 }),
      ['Dora', 'Eve'],
    ],
    [
      'created within the last two days',
      () => and({ type: 'field', field: 'created_at', op: 'within_last_days', value: 2 }),
      ['Ben', 'Cem', 'Dora', 'Eve'],
    ],
    [
      'SQL injection in a value matches nothing',
      () => and({ type: 'field', field: 'email', op: 'equals', value: "x'; DROP TABLE contacts; --" }),
      [],
    ],
    ['injection in a domain', () => and({ type: 'email_domain', op: 'equals', value: "' OR 1=1 --" }), []],
  ];

  for (const [name, filter, expected] of table) {
    it(name, async () => {
      expect(await matches(filter())).toEqual(expected);
    });
  }

  it('filters by created date range', async () => {
    const created = await rows<{ first_name: string; created_at: string }>(
      h.db.database.db,
      sql`SELECT first_name, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at FROM contacts WHERE account_id = ${Number(tenant.subId)} ORDER BY id`,
    );
    const ben = created.find((r) => r.first_name === 'Ben')!.created_at;
    const dora = created.find((r) => r.first_name === 'Dora')!.created_at;
    expect(await matches(and({ type: 'created', from: ben, to: dora }))).toEqual(['Ben', 'Cem']);
  });

  it('still has its tables after the injection attempts', async () => {
    const [row] = await rows<{ n: number }>(
      h.db.database.db,
      sql`SELECT count(*)::int AS n FROM contacts WHERE account_id = ${Number(tenant.subId)}`,
    );
    expect(row!.n).toBe(5);
  });

  it('rejects unknown fields, foreign tags, wrong operators and mistyped values with the path', async () => {
    const other = await createTenant(h.db.database.db);
    const otherClient = await login(h.app, other.users.owner, TEST_PASSWORD);
    const foreignTag = (
      await otherClient.request('POST', `/api/accounts/${other.subId}/tags`, { name: 'Theirs' })
    ).json().id;
    const bad: [FilterGroup, string][] = [
      [and({ type: 'field', field: 'custom.nope', op: 'equals', value: 'x' }), 'filter.conditions.0.field'],
      [and({ type: 'tag', op: 'has', tagId: foreignTag }), 'filter.conditions.0.tagId'],
      [
        and(or({ type: 'field', field: 'custom.score', op: 'contains', value: '9' })),
        'filter.conditions.0.conditions.0.op',
      ],
      [
        and({ type: 'field', field: 'custom.score', op: 'greater_than', value: 'lots' }),
        'filter.conditions.0.value',
      ],
      [
        and({ type: 'field', field: 'custom.birthday', op: 'before', value: '01.01.2000' }),
        'filter.conditions.0.value',
      ],
      [and({ type: 'field', field: 'email', op: 'contains' }), 'filter.conditions.0.value'],
      // Too deep is refused by the request schema, before the compiler (see "Input boundary").
      [
        and(and(and(and(and(and()))))),
        'body.filter.conditions.0.conditions.0.conditions.0.conditions.0.conditions.0',
      ],
    ];
    for (const [filter, path] of bad) {
      const res = await owner.request('POST', url('/smart-lists/preview'), { filter });
      expect(res.statusCode, JSON.stringify(filter)).toBe(400);
      expect(res.json().error.details.fields[0].field).toBe(path);
    }
    const garbage = await owner.request('GET', url('/contacts?filter=%7Bnope'));
    expect(garbage.statusCode).toBe(400);
    const wrongShape = await owner.request('POST', url('/smart-lists/preview'), {
      filter: { op: 'xor', conditions: [] },
    });
    expect(wrongShape.statusCode).toBe(400);
  });

  it('saves SmartLists, lists their live count and uses them in the contacts list', async () => {
    const created = await owner.request('POST', url('/smart-lists'), {
      name: 'VIPs at alpha',
      filter: and(
        { type: 'tag', op: 'has', tagId: vip },
        { type: 'email_domain', op: 'equals', value: 'alpha.example' },
      ),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(
      (await owner.request('POST', url('/smart-lists'), { name: 'vips AT alpha', filter: and() })).statusCode,
    ).toBe(409);
    expect((await owner.request('GET', url(`/smart-lists/${id}/count`))).json().count).toBe(1);
    const page = await owner.request('GET', url(`/contacts?smartListId=${id}`));
    expect(page.json().items.map((c: { firstName: string }) => c.firstName)).toEqual(['Ada']);
    const renamed = await owner.request('PATCH', url(`/smart-lists/${id}`), { name: 'Alpha VIPs' });
    expect(renamed.json().name).toBe('Alpha VIPs');
    expect(
      (await owner.request('GET', url('/smart-lists'))).json().items.map((s: { name: string }) => s.name),
    ).toContain('Alpha VIPs');
    expect((await owner.request('DELETE', url(`/smart-lists/${id}`))).statusCode).toBe(204);
    expect((await owner.request('GET', url(`/smart-lists/${id}`))).statusCode).toBe(404);
  });
});
