import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createHarness, type TestHarness } from '../../../test/helpers/app.ts';
import { ENGINE } from '../../../test/helpers/database.ts';
import { buildApp } from '../app.ts';

function expectSecurityHeaders(res: LightMyRequestResponse): void {
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
}

describe(`security headers (${ENGINE})`, () => {
  let h: TestHarness;
  // The same app with the web UI served (the harness leaves it out).
  let web: FastifyInstance;
  beforeAll(async () => {
    h = await createHarness();
    web = await buildApp({ config: h.config, database: h.db.database, services: h.services, logger: false });
    await web.ready();
  });
  afterAll(async () => {
    await web.close();
    await h.close();
  });

  it.each([
    ['an API answer', 'GET', '/api/health', 200],
    ['an unauthenticated request', 'GET', '/api/me', 401],
    ['an unknown route', 'GET', '/nothing-here', 404],
    ['a rejected body', 'POST', '/api/auth/login', 400],
    ['a static file of the API docs', 'GET', '/api/docs/static/swagger-ui.css', 200],
    ['the API docs page', 'GET', '/api/docs', 200],
    ['the OpenAPI document', 'GET', '/api/docs/json', 200],
  ] as const)('are on %s', async (_what, method, url, status) => {
    const res = await h.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
    expect(res.statusCode).toBe(status);
    expectSecurityHeaders(res);
  });

  it('are on the web UI and its client-side routes', async () => {
    for (const url of ['/', '/accounts/1/contacts', '/login']) {
      const res = await web.inject({ method: 'GET', url });
      expect([200, 404]).toContain(res.statusCode); // 404 with a hint when the UI is not built
      expectSecurityHeaders(res);
    }
  });

  it('add no HSTS and no upgrade of requests on plain http', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
  });

  it('add HSTS and upgrade requests when Herald is served over https', async () => {
    const secure = await buildApp({
      config: {
        ...h.config,
        publicUrl: 'https://herald.example',
        session: { ...h.config.session, secureCookie: true },
      },
      database: h.db.database,
      services: h.services,
      web: false,
      logger: false,
    });
    try {
      const res = await secure.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });
});
