// One definition of a day per account (issue 9, section 5): date-only filters, the created range
// and the lists' date ranges read calendar days in the account's time zone, with the same results
// whatever the database session's TimeZone is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from './helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from './helpers/tenants.ts';
import { ENGINE } from './helpers/database.ts';
import { rows } from '../src/server/db/types.ts';
import type { Condition, FilterGroup } from '../src/shared/contacts.ts';

const and = (...conditions: Condition[]): FilterGroup => ({ op: 'and', conditions });
const field = (name: string, op: string, value?: string | number) =>
  ({ type: 'field', field: name, op, ...(value === undefined ? {} : { value }) }) as Condition;

// 23:34 UTC on 29 November is 00:34 on 30 November in Berlin and 18:34 on 29 November in New York.
const PEOPLE = [
  { firstName: 'Nov29', at: '2026-11-29T12:00:00Z', visit: '2026-11-29' },
  { firstName: 'Nov30', at: '2026-11-29T23:34:00Z', visit: '2026-11-30' },
  { firstName: 'Dec01', at: '2026-11-30T23:30:00Z', visit: '2026-12-01' },
];

/** Runs the whole suite with the database session in `sessionZone`. */
function suite(sessionZone: string) {
  describe(`calendar days in the account's zone, session in ${sessionZone} (${ENGINE})`, () => {
    let h: TestHarness;
    let berlin: Tenant;
    let newYork: Tenant;
    // Logged in once the clock stands still (sessions then stay valid for the whole suite).
    const owners = new Map<Tenant, Client>();

    const as = (tenant: Tenant, role: keyof Tenant['users'] = 'owner'): Promise<Client> =>
      login(h.app, tenant.users[role], TEST_PASSWORD);

    async function matches(tenant: Tenant, filter: FilterGroup): Promise<string[]> {
      const owner = owners.get(tenant)!;
      const page = await owner.request(
        'GET',
        `/api/accounts/${tenant.subId}/contacts?limit=50&sort=id&dir=asc&filter=${encodeURIComponent(JSON.stringify(filter))}`,
      );
      expect(page.statusCode, page.body).toBe(200);
      const names = page.json().items.map((c: { firstName: string }) => c.firstName);
      const count = await owner.request('POST', `/api/accounts/${tenant.subId}/smart-lists/preview`, {
        filter,
      });
      expect(count.json().count).toBe(names.length);
      return names.sort();
    }

    async function seed(tenant: Tenant): Promise<void> {
      const owner = await as(tenant);
      const url = `/api/accounts/${tenant.subId}`;
      await owner.request('POST', `${url}/custom-fields`, { key: 'visit', label: 'Visit', type: 'date' });
      const tag = (await owner.request('POST', `${url}/tags`, { name: 'seen' })).json<{ id: string }>();
      for (const p of PEOPLE) {
        h.clock.set(new Date(p.at));
        const client = await as(tenant); // a fresh session at each moment
        const res = await client.request('POST', `${url}/contacts`, {
          firstName: p.firstName,
          email: `${p.firstName.toLowerCase()}@example.com`,
          customFields: { visit: p.visit },
        });
        expect(res.statusCode, res.body).toBe(201);
        // A bulk action and a notification created at the same instant, for the lists' date ranges.
        const action = await client.request('POST', `${url}/bulk-actions`, {
          type: 'add_tag',
          tagId: tag.id,
          name: p.firstName,
          selection: { contactIds: [res.json<{ id: string }>().id] },
        });
        expect(action.statusCode, action.body).toBe(201);
        // About that action: a notification shows the name of the action its params name.
        const actionId = action.json<{ id: string }>().id;
        await h.services.notifier.notify(h.db.database.db, Number(tenant.subId), {
          type: 'bulk_action.failed',
          params: { action: { id: actionId, name: p.firstName }, processed: 0, total: 1, error: 'x' },
          subject: { kind: 'bulk_action', id: actionId },
        });
      }
    }

    beforeAll(async () => {
      // PostgreSQL: every pooled connection starts in the zone; PGlite has one connection.
      const previous = process.env.PGOPTIONS;
      if (ENGINE === 'postgres') process.env.PGOPTIONS = `-c TimeZone=${sessionZone}`;
      try {
        h = await createHarness();
      } finally {
        if (previous === undefined) delete process.env.PGOPTIONS;
        else process.env.PGOPTIONS = previous;
      }
      if (ENGINE === 'pglite') await h.db.database.db.execute(sql.raw(`SET TIME ZONE '${sessionZone}'`));
      const [shown] = await rows<{ zone: string }>(
        h.db.database.db,
        sql`SELECT current_setting('TimeZone') AS zone`,
      );
      expect(shown?.zone).toBe(sessionZone);

      berlin = await createTenant(h.db.database.db);
      newYork = await createTenant(h.db.database.db);
      const owner = await as(newYork);
      const zone = await owner.request('PATCH', `/api/accounts/${newYork.subId}`, {
        timeZone: 'America/New_York',
      });
      expect(zone.statusCode, zone.body).toBe(200);
      await seed(berlin);
      await seed(newYork);
      // "Now" is 00:45 on 1 December in Berlin, 18:45 on 30 November in New York.
      h.clock.set(new Date('2026-11-30T23:45:00Z'));
      owners.set(berlin, await as(berlin));
      owners.set(newYork, await as(newYork));
    }, 240_000); // two tenants, a dozen logins (scrypt) and writes on a shared machine
    afterAll(() => h?.close());

    it('a contact created at 23:34 UTC on 29 November is created on 30 November in Berlin', async () => {
      expect(await matches(berlin, and(field('created_at', 'equals', '2026-11-30')))).toEqual(['Nov30']);
      expect(await matches(berlin, and(field('created_at', 'equals', '2026-11-29')))).toEqual(['Nov29']);
      expect(await matches(berlin, and(field('created_at', 'after', '2026-11-30')))).toEqual(['Dec01']);
      expect(await matches(berlin, and(field('created_at', 'before', '2026-11-30')))).toEqual(['Nov29']);
    });

    it('an account in New York sees its own days', async () => {
      expect(await matches(newYork, and(field('created_at', 'equals', '2026-11-29')))).toEqual([
        'Nov29',
        'Nov30',
      ]);
      expect(await matches(newYork, and(field('created_at', 'equals', '2026-11-30')))).toEqual(['Dec01']);
      expect(await matches(newYork, and(field('created_at', 'after', '2026-11-29')))).toEqual(['Dec01']);
      expect(await matches(newYork, and(field('updated_at', 'before', '2026-11-30')))).toEqual([
        'Nov29',
        'Nov30',
      ]);
    });

    it('within the last N days counts calendar days of the account, today from Herald’s clock', async () => {
      // Today is 1 December in Berlin: the last day is today, the last two days include 30 November.
      expect(await matches(berlin, and(field('created_at', 'within_last_days', 1)))).toEqual(['Dec01']);
      expect(await matches(berlin, and(field('created_at', 'within_last_days', 2)))).toEqual([
        'Dec01',
        'Nov30',
      ]);
      // Today is 30 November in New York, where Nov30 was created on the 29th.
      expect(await matches(newYork, and(field('created_at', 'within_last_days', 1)))).toEqual(['Dec01']);
      expect(await matches(newYork, and(field('created_at', 'within_last_days', 2)))).toEqual([
        'Dec01',
        'Nov29',
        'Nov30',
      ]);
      // Custom date fields are plain dates; only "today" depends on the zone.
      expect(await matches(berlin, and(field('custom.visit', 'within_last_days', 1)))).toEqual(['Dec01']);
      expect(await matches(newYork, and(field('custom.visit', 'within_last_days', 1)))).toEqual([
        'Dec01',
        'Nov30',
      ]);
    });

    it('custom date fields compare as plain dates', async () => {
      expect(await matches(newYork, and(field('custom.visit', 'equals', '2026-11-30')))).toEqual(['Nov30']);
      expect(await matches(newYork, and(field('custom.visit', 'after', '2026-11-30')))).toEqual(['Dec01']);
      expect(await matches(newYork, and(field('custom.visit', 'before', '2026-11-30')))).toEqual(['Nov29']);
    });

    it('the created range takes calendar days of the account, the last day included', async () => {
      const range = (from?: string, to?: string): FilterGroup =>
        and({ type: 'created', ...(from ? { from } : {}), ...(to ? { to } : {}) });
      expect(await matches(berlin, range('2026-11-30', '2026-11-30'))).toEqual(['Nov30']);
      expect(await matches(berlin, range('2026-11-30'))).toEqual(['Dec01', 'Nov30']);
      expect(await matches(newYork, range(undefined, '2026-11-29'))).toEqual(['Nov29', 'Nov30']);
      // Instants keep their meaning: from inclusive, to exclusive.
      expect(await matches(berlin, range('2026-11-29T23:34:00Z', '2026-11-30T23:30:00Z'))).toEqual(['Nov30']);
    });

    it('the bulk actions and notifications lists filter by the account’s days', async () => {
      for (const [tenant, day, expected] of [
        [berlin, '2026-11-30', ['Nov30']],
        [newYork, '2026-11-29', ['Nov29', 'Nov30']],
      ] as const) {
        const owner = owners.get(tenant)!;
        const base = `/api/accounts/${tenant.subId}`;
        const bulk = await owner.request('GET', `${base}/bulk-actions?from=${day}&to=${day}`);
        expect(bulk.statusCode, bulk.body).toBe(200);
        expect(
          bulk
            .json<{ items: { name: string }[] }>()
            .items.map((a) => a.name)
            .sort(),
        ).toEqual(expected);
        const notes = await owner.request('GET', `${base}/notifications?from=${day}&to=${day}`);
        expect(notes.statusCode, notes.body).toBe(200);
        const names = notes
          .json<{ items: { params: { action: { name: string } } }[] }>()
          .items.map((n) => n.params.action.name);
        expect(names.sort()).toEqual(expected);
      }
    });
  });
}

suite('UTC');
suite('Pacific/Kiritimati');

describe(`time zone settings (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
  });
  afterAll(() => h.close());

  it('an account has Europe/Berlin until settings.manage changes it to another IANA zone', async () => {
    const owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const url = `/api/accounts/${tenant.subId}`;
    expect((await owner.request('GET', url)).json()).toMatchObject({ timeZone: 'Europe/Berlin' });
    for (const timeZone of ['Mars/Olympus_Mons', '+01:00', 'UTC+1', '', 'Europe/Berlin\u0000', 42]) {
      const res = await owner.request('PATCH', url, { timeZone });
      expect(res.statusCode, JSON.stringify(timeZone)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const changed = await owner.request('PATCH', url, { timeZone: 'america/new_york' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ timeZone: 'America/New_York' });
    const me = await owner.request('GET', '/api/me');
    expect(me.json().accounts.find((a: { id: string }) => a.id === tenant.subId)).toMatchObject({
      timeZone: 'America/New_York',
    });

    const marketer = await login(h.app, tenant.users.marketer, TEST_PASSWORD);
    expect((await marketer.request('PATCH', url, { timeZone: 'UTC' })).statusCode).toBe(403);
    expect((await marketer.request('GET', url)).json()).toMatchObject({ timeZone: 'America/New_York' });
  });

  it('a schedule without offset is wall-clock time in the account’s zone; with one, that instant', async () => {
    const owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const url = `/api/accounts/${tenant.agencyId}`; // still Europe/Berlin
    const contact = await owner.request('POST', `${url}/contacts`, { email: 'scheduled@example.com' });
    const tag = await owner.request('POST', `${url}/tags`, { name: 'later' });
    const start = async (scheduledFor: string) => {
      const res = await owner.request('POST', `${url}/bulk-actions`, {
        type: 'add_tag',
        tagId: tag.json().id,
        selection: { contactIds: [contact.json().id] },
        scheduledFor,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; scheduledFor: string }>();
    };
    const local = await start('2026-12-01T09:00');
    expect(Date.parse(local.scheduledFor)).toBe(Date.parse('2026-12-01T08:00:00Z'));
    const exact = await start('2026-12-01T09:00:00-05:00');
    expect(Date.parse(exact.scheduledFor)).toBe(Date.parse('2026-12-01T14:00:00Z'));
    // Summer time: 09:00 in Berlin is 07:00 UTC.
    const summer = await start('2027-07-01T09:00');
    expect(Date.parse(summer.scheduledFor)).toBe(Date.parse('2027-07-01T07:00:00Z'));
  });

  it('a user may choose a display zone of their own, or none', async () => {
    const viewer = await login(h.app, tenant.users.viewer, TEST_PASSWORD);
    expect((await viewer.request('GET', '/api/me')).json().user.timeZone).toBeNull();
    const set = await viewer.request('PATCH', '/api/me/settings', { timeZone: 'Asia/Tokyo' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().timeZone).toBe('Asia/Tokyo');
    expect((await viewer.request('PATCH', '/api/me/settings', { timeZone: 'Nowhere/Land' })).statusCode).toBe(
      400,
    );
    expect((await viewer.request('GET', '/api/me')).json().user.timeZone).toBe('Asia/Tokyo');
    const cleared = await viewer.request('PATCH', '/api/me/settings', { timeZone: null });
    expect(cleared.json().timeZone).toBeNull();
  });
});
