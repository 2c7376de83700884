import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type TestHarness } from '../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../test/helpers/tenants.ts';
import { ENGINE } from '../../test/helpers/database.ts';
import { rows } from './db/types.ts';
import { asAccountId, withTenant } from './db/tenant.ts';
import { seedContacts } from './seed/demo.ts';

describe(`HTTP basics and row-level security (${ENGINE})`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('reports health with the database state', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'up' });
  });

  it('serves OpenAPI at /api/docs with the account-scoped routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/accounts/{accountId}/members']),
    );
    expect((await h.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown API routes and malformed JSON with error codes', async () => {
    const tenant = await createTenant(h.db.database.db);
    const client = await login(h.app, tenant.users.viewer, TEST_PASSWORD);
    const unknown = await client.request('GET', '/api/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('BAD_REQUEST');
  });

  it("hides other accounts' rows inside a tenant transaction even without a WHERE clause", async () => {
    const a = await createTenant(h.db.database.db);
    const b = await createTenant(h.db.database.db);
    await seedContacts(h.db.database.db, Number(a.subId), 5);
    await seedContacts(h.db.database.db, Number(b.subId), 7);
    const seen = await withTenant(h.db.database.db, asAccountId(Number(a.subId)), (tx) =>
      rows<{ account_id: number }>(tx, sql`SELECT account_id FROM contacts`),
    );
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((r) => Number(r.account_id)))).toEqual(new Set([Number(a.subId)]));
    // Writing a row for another account from inside the tenant is refused too.
    const refused = await withTenant(h.db.database.db, asAccountId(Number(a.subId)), (tx) =>
      tx.execute(
        sql`INSERT INTO contacts (account_id, email) VALUES (${Number(b.subId)}, 'sneaky@test.example')`,
      ),
    ).then(
      () => null,
      (err: Error) => err,
    );
    expect(String((refused?.cause as Error | undefined)?.message)).toMatch(/row-level security/);
  });
});
