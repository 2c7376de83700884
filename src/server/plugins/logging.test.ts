import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { createHarness, type TestHarness } from '../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../test/helpers/database.ts';
import { buildApp } from '../app.ts';
import { loggableUrl } from './logging.ts';

describe(`server logs hold no personal data or secrets (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let app: FastifyInstance;
  const lines: string[] = [];
  const logged = () => lines.join('');
  const SECRET_IN_QUERY = 'leaky.person@secret.example';

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    // The real app, logging at debug level (which logs every request) into `lines`.
    app = await buildApp({
      config: { ...h.config, logLevel: 'debug' },
      database: h.db.database,
      services: h.services,
      web: false,
      logSink: { write: (line) => void lines.push(line) },
    });
    // Queries that fail with a personal value among their parameters, as a real bug would: one
    // the error handler answers 500 (division by zero), one it answers 400 (the value is no integer).
    app.get('/api/test/failing-query', { config: { public: true } }, async () => {
      await h.db.database.db.execute(sql`SELECT ${SECRET_IN_QUERY}::text AS s, 1 / (SELECT 0) AS n`);
      return {};
    });
    app.get('/api/test/bad-value-query', { config: { public: true } }, async () => {
      await h.db.database.db.execute(sql`SELECT ${SECRET_IN_QUERY}::integer AS n`);
      return {};
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('around a login, a contact search, an API token and a failed query', async () => {
    const email = tenant.users.owner;
    const loginRes = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(loginRes.statusCode).toBe(200);
    const session = loginRes.cookies.find((c) => c.name === 'herald_session')!.value;
    const csrf = loginRes.json<{ csrfToken: string }>().csrfToken;
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'unknown.person@test.example', password: 'a-wrong-secret-password' },
    });
    expect(wrong.statusCode).toBe(401);

    const searchTerm = 'Zacharias-Searchterm';
    const search = await app.inject({
      method: 'GET',
      url: `/api/accounts/${tenant.subId}/contacts?search=${searchTerm}&email=${encodeURIComponent(email)}`,
      headers: { cookie: `herald_session=${session}` },
    });
    expect(search.statusCode).toBeLessThan(500);

    const created = await app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: { cookie: `herald_session=${session}`, 'x-csrf-token': csrf },
      payload: { name: 'log test' },
    });
    const token = created.json<{ token: string }>().token;
    const viaToken = await app.inject({
      method: 'GET',
      url: `/api/me?token=${token}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.statusCode).toBe(200);

    const failed = await app.inject({ method: 'GET', url: '/api/test/failing-query' });
    expect(failed.statusCode).toBe(500);
    const refused = await app.inject({ method: 'GET', url: '/api/test/bad-value-query' });
    expect(refused.statusCode).toBe(400);

    const text = logged();
    for (const secret of [
      email,
      'unknown.person@test.example',
      TEST_PASSWORD,
      'a-wrong-secret-password',
      searchTerm,
      token,
      session,
      csrf,
      SECRET_IN_QUERY,
    ]) {
      expect(text, `log contains ${secret}`).not.toContain(secret);
    }
    // The log was written: requests (with their query's names) and the failed query's SQL.
    expect(text).toContain('incoming request');
    expect(text).toContain('search=[redacted]');
    expect(text).toContain('Failed query: SELECT $1::text AS s, 1 / (SELECT 0) AS n');
    expect(text).toContain('Failed query: SELECT $1::integer');
  });

  it('keeps the names of query parameters and drops their values', () => {
    expect(loggableUrl('/api/x')).toBe('/api/x');
    expect(loggableUrl('/api/x?search=a%40b.c&page=2')).toBe('/api/x?search=[redacted]&page=[redacted]');
  });
});
