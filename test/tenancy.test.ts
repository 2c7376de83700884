// Walks every account-scoped route the app registered, so a new route cannot skip these checks:
// another account's id -> 404, a missing right -> 403, a malformed body or parameter -> 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from './helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from './helpers/tenants.ts';
import { ENGINE } from './helpers/database.ts';
import { ROLES, ROLE_NAMES, type Right, type Role } from '../src/shared/rights.ts';
import type { AccountScopedRoute } from '../src/server/plugins/account-scope.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function urlFor(route: AccountScopedRoute, accountId: string, otherParam = '1'): string {
  return route.url.replace(':accountId', accountId).replace(/:[A-Za-z]+/g, otherParam);
}

describe(`tenancy and rights on every account-scoped route (${ENGINE})`, () => {
  let h: TestHarness;
  let mine: Tenant;
  let theirs: Tenant;
  const clients = {} as Record<Role, Client>;
  let routes: AccountScopedRoute[];

  beforeAll(async () => {
    h = await createHarness();
    mine = await createTenant(h.db.database.db);
    theirs = await createTenant(h.db.database.db);
    for (const role of ROLE_NAMES) clients[role] = await login(h.app, mine.users[role], TEST_PASSWORD);
    routes = h.app.accountScopedRoutes;
  });
  afterAll(() => h.close());

  it('has account-scoped routes to check', () => {
    expect(routes.length).toBeGreaterThan(0);
  });

  it("answers 404 for another account's id, for an unknown id and for a non-numeric id, even to an owner", async () => {
    for (const route of routes) {
      for (const accountId of [theirs.agencyId, theirs.subId, '999999999', 'abc']) {
        const res = await clients.owner.request(
          route.method as Method,
          urlFor(route, accountId),
          route.hasBody ? {} : undefined,
        );
        expect(res.statusCode, `${route.method} ${route.url} on account ${accountId}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
    }
  });

  it('answers 403 to a member lacking the route right', async () => {
    for (const route of routes) {
      if (route.right === 'member') continue;
      const right: Right = route.right;
      const lacking = ROLE_NAMES.find((role) => !(ROLES[role] as readonly Right[]).includes(right));
      expect(lacking, `some role lacks ${right}`).toBeDefined();
      const res = await clients[lacking!].request(
        route.method as Method,
        urlFor(route, mine.subId),
        route.hasBody ? {} : undefined,
      );
      expect(res.statusCode, `${route.method} ${route.url} as ${lacking}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('answers 400 with an error code to a malformed body or path parameter', async () => {
    let checked = 0;
    for (const route of routes) {
      const withExtraParam = /:(?!accountId)[A-Za-z]+/.test(route.url);
      if (route.hasBody) {
        const res = await clients.owner.request(route.method as Method, urlFor(route, mine.subId), [
          'not',
          'an',
          'object',
        ]);
        expect(res.statusCode, `${route.method} ${route.url} body`).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        checked++;
      }
      if (withExtraParam) {
        const res = await clients.owner.request(
          route.method as Method,
          urlFor(route, mine.subId, 'not-a-number'),
          route.hasBody ? {} : undefined,
        );
        expect(res.statusCode, `${route.method} ${route.url} param`).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('answers 401 without credentials', async () => {
    for (const route of routes) {
      const res = await h.app.inject({ method: route.method as Method, url: urlFor(route, mine.subId) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
