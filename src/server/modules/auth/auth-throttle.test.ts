import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { loadConfig } from '../../config.ts';

function attempt(
  app: FastifyInstance,
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers });
}

/** How many answers had each status, e.g. { 401: 5, 429: 35 }. */
function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

describe(`login throttling under attack (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
  });
  afterAll(() => h.close());
  // Each test starts with a fresh window: earlier failures of this file no longer count.
  beforeEach(() => h.clock.advance(h.config.login.windowMs + 1000));

  it('checks at most the limit of passwords for 40 parallel wrong logins of one email', async () => {
    const limit = h.config.login.maxFailures;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(h.app, tenant.users.analyst, `wrong-${i}-password`)),
    );
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ 401: limit, 429: 40 - limit });
  });

  it('lets none of 30 parallel guesses ending with the right password in once the limit is reached', async () => {
    const limit = h.config.login.maxFailures;
    const guesses = [...Array.from({ length: 29 }, (_, i) => `guess-${i}-password`), TEST_PASSWORD];
    const answers = await Promise.all(guesses.map((p) => attempt(h.app, tenant.users.marketer, p)));
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ 401: limit, 429: 30 - limit });
    expect(answers.at(-1)!.json().error.code).toBe('RATE_LIMITED');
    // Still locked for the right password afterwards.
    expect((await attempt(h.app, tenant.users.marketer, TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('does not let a rotating X-Forwarded-For escape the per-IP limit by default', async () => {
    expect(h.config.trustProxy).toBe(false);
    const perIp = h.config.login.maxFailures * 4;
    const answers = await Promise.all(
      Array.from({ length: perIp + 10 }, (_, i) =>
        attempt(h.app, `nobody-${i}@test.example`, 'wrong-password-x', {
          'x-forwarded-for': `198.51.100.${i + 1}`,
        }),
      ),
    );
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ 401: perIp, 429: 10 });
  });
});

describe(`login throttling behind a configured proxy (${ENGINE})`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    // app.inject comes from 127.0.0.1: that is the proxy here.
    h = await createHarness({ env: { HERALD_TRUST_PROXY: '127.0.0.1/32' } });
  });
  afterAll(() => h.close());

  it('counts per forwarded client address', async () => {
    const perIp = h.config.login.maxFailures * 4;
    const from = (ip: string, i: number) =>
      attempt(h.app, `someone-${ip}-${i}@test.example`, 'wrong-password-x', { 'x-forwarded-for': ip });
    const first = await Promise.all(Array.from({ length: perIp + 3 }, (_, i) => from('203.0.113.7', i)));
    expect(tally(first.map((a) => a.statusCode))).toEqual({ 401: perIp, 429: 3 });
    // Another client behind the same proxy is not blocked by the first one's failures.
    expect((await from('203.0.113.8', 0)).statusCode).toBe(401);
  });
});

describe('HERALD_TRUST_PROXY', () => {
  const parse = (value?: string) =>
    loadConfig({
      HERALD_DATA_DIR: '.tmp/unused',
      ...(value === undefined ? {} : { HERALD_TRUST_PROXY: value }),
    }).trustProxy;

  it('is off unless configured, and takes a hop count or proxy addresses', () => {
    expect(parse()).toBe(false);
    expect(parse('')).toBe(false);
    expect(parse('false')).toBe(false);
    expect(parse('0')).toBe(false);
    expect(parse('2')).toBe(2);
    expect(parse('10.0.0.1, 192.168.0.0/16,::1,loopback')).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'loopback',
    ]);
  });

  it('refuses "true" and anything that is not an address', () => {
    expect(() => parse('true')).toThrow(/HERALD_TRUST_PROXY/);
    expect(() => parse('10.0.0.1/33')).toThrow(/HERALD_TRUST_PROXY/);
    expect(() => parse('proxy.example')).toThrow(/HERALD_TRUST_PROXY/);
  });
});
