import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';

describe(`authentication (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
  });
  afterAll(() => h.close());

  it('logs in, sets an httpOnly SameSite cookie and answers /api/me', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: tenant.users.owner, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'herald_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: `herald_session=${cookie.value}` },
    });
    expect(me.statusCode).toBe(200);
    const body = me.json<{ user: { email: string }; accounts: { id: string; rights: string[] }[] }>();
    expect(body.user.email).toBe(tenant.users.owner);
    // The agency role reaches the sub-account.
    expect(body.accounts.map((a) => a.id).sort()).toEqual([tenant.agencyId, tenant.subId].sort());
    expect(body.accounts[0]!.rights).toContain('users.manage');
  });

  it('accepts the email in any case', async () => {
    await expect(login(h.app, tenant.users.viewer.toUpperCase(), TEST_PASSWORD)).resolves.toBeTruthy();
  });

  it('rejects a wrong password and an unknown user with the same error', async () => {
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: tenant.users.analyst, password: 'nope-nope-nope' },
    });
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ghost@test.example', password: 'nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('answers a malformed login body with 400 and the field', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'not-an-email' },
    });
    expect(res.statusCode).toBe(400);
    const error = res.json<{ error: { code: string; details: { fields: { field: string }[] } } }>().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['body.email', 'body.password']),
    );
  });

  it('rate-limits repeated failures for one email, even with the right password', async () => {
    const email = tenant.users.marketer;
    for (let i = 0; i < h.config.login.maxFailures; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: `wrong-${i}-password` },
      });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: TEST_PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    expect(blocked.headers['retry-after']).toBeDefined();
    // The window passes: the right password works again.
    h.clock.advance(h.config.login.windowMs + 1000);
    await expect(login(h.app, email, TEST_PASSWORD)).resolves.toBeTruthy();
  });

  it('logs out: the cookie no longer works', async () => {
    const client = await login(h.app, tenant.users.admin, TEST_PASSWORD);
    const out = await client.request('POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
    const me = await client.request('GET', '/api/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses logout without the CSRF token', async () => {
    const client = await login(h.app, tenant.users.admin, TEST_PASSWORD);
    const out = await client.request('POST', '/api/auth/logout', undefined, { 'x-csrf-token': 'forged' });
    expect(out.statusCode).toBe(403);
    expect((await client.request('GET', '/api/me')).statusCode).toBe(200);
  });

  it('expires an idle session and says so', async () => {
    const client = await login(h.app, tenant.users.analyst, TEST_PASSWORD);
    h.clock.advance(h.config.session.idleMs / 2);
    expect((await client.request('GET', '/api/me')).statusCode).toBe(200);
    h.clock.advance(h.config.session.idleMs + 1000);
    const res = await client.request('GET', '/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('ends a session at its absolute lifetime even when used all along', async () => {
    const client = await login(h.app, tenant.users.viewer, TEST_PASSWORD);
    const step = h.config.session.idleMs / 2;
    let elapsed = 0;
    while (elapsed + step < h.config.session.maxMs) {
      h.clock.advance(step);
      elapsed += step;
      expect((await client.request('GET', '/api/me')).statusCode).toBe(200);
    }
    h.clock.advance(step);
    expect((await client.request('GET', '/api/me')).json().error.code).toBe('SESSION_EXPIRED');
  });

  it('requires the CSRF header on cookie-authenticated state changes', async () => {
    const client = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const without = await h.app.inject({
      method: 'PATCH',
      url: '/api/me/settings',
      headers: { cookie: client.cookie },
      payload: { name: 'Forged' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_FAILED');
    const withToken = await client.request('PATCH', '/api/me/settings', { name: 'Olivia' });
    expect(withToken.statusCode).toBe(200);
  });

  it("refuses cookie-authenticated state changes sent from another site's page, CSRF token or not", async () => {
    const client = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const patch = (headers: Record<string, string>) =>
      client.request('PATCH', '/api/me/settings', { name: 'Olivia' }, headers);
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost.evil.example' },
      { referer: 'https://evil.example/page?x=1' },
    ]) {
      const res = await patch(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('CSRF_FAILED');
    }
    // Logout (a public route) too: another site cannot end the session.
    const out = await client.request('POST', '/api/auth/logout', undefined, {
      origin: 'https://evil.example',
    });
    expect(out.statusCode).toBe(403);
    expect((await client.request('GET', '/api/me')).statusCode).toBe(200);
    // Our own origin (HERALD_PUBLIC_URL, or the host the request went to) and no Origin at all pass.
    const own = new URL(h.config.publicUrl).origin;
    expect((await patch({ origin: own })).statusCode).toBe(200);
    expect((await patch({ origin: 'http://herald.test', host: 'herald.test' })).statusCode).toBe(200);
    expect((await patch({ referer: `${own}/me/settings` })).statusCode).toBe(200);
    expect((await patch({})).statusCode).toBe(200);
    // Reads are not state changes.
    expect(
      (await client.request('GET', '/api/me', undefined, { origin: 'https://evil.example' })).statusCode,
    ).toBe(200);
  });

  it('lets Bearer-token requests through whatever their Origin', async () => {
    const client = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const { token } = (await client.request('POST', '/api/me/tokens', { name: 'origin' })).json<{
      token: string;
    }>();
    const res = await h.app.inject({
      method: 'PATCH',
      url: '/api/me/settings',
      headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example' },
      payload: { name: 'Olivia' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('authenticates personal API tokens, which need no CSRF header, until revoked', async () => {
    const client = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const created = await client.request('POST', '/api/me/tokens', { name: 'CI export' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    const auth = { authorization: `Bearer ${token}` };
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: auth });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBeNull();
    const patch = await h.app.inject({
      method: 'PATCH',
      url: '/api/me/settings',
      headers: auth,
      payload: { language: 'de' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().language).toBe('de');
    const listed = await client.request('GET', '/api/me/tokens');
    expect(JSON.stringify(listed.json())).not.toContain(token);
    expect((await client.request('DELETE', `/api/me/tokens/${id}`)).statusCode).toBe(204);
    const after = await h.app.inject({ method: 'GET', url: '/api/me', headers: auth });
    expect(after.statusCode).toBe(401);
  });

  it('ends every API token of the user when the password changes', async () => {
    const client = await login(h.app, tenant.users.marketer, TEST_PASSWORD);
    const tokens = await Promise.all(
      ['script', 'export'].map(async (name) => {
        const res = await client.request('POST', '/api/me/tokens', { name });
        return `Bearer ${res.json<{ token: string }>().token}`;
      }),
    );
    const me = (authorization: string) =>
      h.app.inject({ method: 'GET', url: '/api/me', headers: { authorization } });
    for (const token of tokens) expect((await me(token)).statusCode).toBe(200);
    const changed = await client.request('POST', '/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'another-long-password',
    });
    expect(changed.statusCode).toBe(204);
    for (const token of tokens) expect((await me(token)).statusCode).toBe(401);
    expect((await client.request('GET', '/api/me/tokens')).json().items).toEqual([]);
    // The session that changed the password stays.
    expect((await client.request('GET', '/api/me')).statusCode).toBe(200);
  });

  it('rejects an unknown bearer token and an expired one', async () => {
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer hrt_nope' } }))
        .statusCode,
    ).toBe(401);
    const client = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    const { token } = (
      await client.request('POST', '/api/me/tokens', { name: 'short', expiresInDays: 1 })
    ).json<{ token: string }>();
    h.clock.advance(2 * 86_400_000);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
  });
});
