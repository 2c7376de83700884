import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { DEMO_PASSWORD, seedDemo } from '../../seed/demo.ts';
import { asAccountId } from '../../db/tenant.ts';
import { findUserByEmail, upsertMembership } from './users.repo.ts';
import type { Role } from '../../../shared/rights.ts';

describe(`nobody acts on a member who outranks them; an account keeps an owner (${ENGINE})`, () => {
  let h: TestHarness;
  const db = () => h.db.database.db;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  const idOf = async (email: string) => (await findUserByEmail(db(), email))!.id;
  const roleIn = async (client: Client, accountId: string) =>
    ((await client.request('GET', '/api/me')).json().accounts as { id: string; role: Role }[]).find(
      (a) => a.id === accountId,
    )?.role;

  it('the issue example: an agency admin cannot shadow the agency owner in a sub-account', async () => {
    await seedDemo(h.db.database);
    const admin = await login(h.app, 'admin@nordlicht.example', DEMO_PASSWORD);
    const res = await admin.request('POST', '/api/accounts/2/members', {
      email: 'owner@nordlicht.example',
      name: 'x',
      role: 'viewer',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const owner = await login(h.app, 'owner@nordlicht.example', DEMO_PASSWORD);
    expect(await roleIn(owner, '2')).toBe('owner');
    // Nothing is pending either: no invitation was made.
    expect((await owner.request('GET', '/api/accounts/2/invitations')).json().items).toEqual([]);
  });

  describe('in a fresh agency', () => {
    let t: Tenant;
    let owner: Client;
    let admin: Client;
    beforeAll(async () => {
      t = await createTenant(db());
      owner = await login(h.app, t.users.owner, TEST_PASSWORD);
      admin = await login(h.app, t.users.admin, TEST_PASSWORD);
    });

    it('refuses every verb on an outranking member: re-add, change role, remove', async () => {
      const ownerId = await idOf(t.users.owner);
      const agency = `/api/accounts/${t.agencyId}/members`;
      const readd = await admin.request('POST', agency, { email: t.users.owner, role: 'admin' });
      expect(readd.statusCode).toBe(403);
      expect(readd.json().error.code).toBe('FORBIDDEN');
      // Another spelling of the same address is the same person.
      const shouting = await admin.request('POST', agency, {
        email: t.users.owner.toUpperCase(),
        role: 'viewer',
      });
      expect(shouting.statusCode).toBe(403);
      const demote = await admin.request('PATCH', `${agency}/${ownerId}`, { role: 'admin' });
      expect(demote.statusCode).toBe(403);
      const remove = await admin.request('DELETE', `${agency}/${ownerId}`);
      expect(remove.statusCode).toBe(403);
      expect(await roleIn(owner, t.agencyId)).toBe('owner');
      // Through the agency the owner reaches the sub-account: no shadowing there either.
      const shadow = await admin.request('POST', `/api/accounts/${t.subId}/members`, {
        email: t.users.owner,
        role: 'viewer',
      });
      expect(shadow.statusCode).toBe(403);
      expect(await roleIn(owner, t.subId)).toBe('owner');
    });

    it('lets an admin act on members who hold no more than they do', async () => {
      const agency = `/api/accounts/${t.agencyId}/members`;
      const marketerId = await idOf(t.users.marketer);
      const res = await admin.request('PATCH', `${agency}/${marketerId}`, { role: 'analyst' });
      expect(res.statusCode).toBe(200);
      // Giving an agency analyst an own, bigger role in the sub-account is allowed (by invitation).
      const invite = await admin.request('POST', `/api/accounts/${t.subId}/members`, {
        email: t.users.analyst,
        role: 'marketer',
      });
      expect(invite.statusCode).toBe(202);
      // Without SMTP the email stays local: the inviter gets the link to hand over, this once.
      expect(invite.json()).toMatchObject({ emailStatus: 'outboxed' });
      expect(invite.json().link).toMatch(/\/invitation#token=inv_[\w-]+$/);
      const listed = (await admin.request('GET', `/api/accounts/${t.subId}/invitations`)).json().items;
      expect(listed[0]).not.toHaveProperty('link');
    });

    it('a sub-account admin of its own cannot demote or remove an outranking direct member', async () => {
      const sub = asAccountId(Number(t.subId));
      await upsertMembership(db(), sub, await idOf(t.users.observer), 'admin', true);
      await upsertMembership(db(), sub, await idOf(t.users.viewer), 'owner', true);
      const subAdmin = await login(h.app, t.users.observer, TEST_PASSWORD);
      const viewerId = await idOf(t.users.viewer);
      const base = `/api/accounts/${t.subId}/members`;
      expect((await subAdmin.request('PATCH', `${base}/${viewerId}`, { role: 'viewer' })).statusCode).toBe(
        403,
      );
      expect((await subAdmin.request('DELETE', `${base}/${viewerId}`)).statusCode).toBe(403);
      expect(
        (await subAdmin.request('POST', base, { email: t.users.viewer, role: 'viewer' })).statusCode,
      ).toBe(403);
    });
  });

  describe('the last owner', () => {
    it('can never be demoted or removed; a second owner makes it possible', async () => {
      const t = await createTenant(db());
      const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
      const ownerId = await idOf(t.users.owner);
      const base = `/api/accounts/${t.agencyId}/members`;
      const demote = await owner.request('PATCH', `${base}/${ownerId}`, { role: 'admin' });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().error.code).toBe('LAST_OWNER');
      expect(await roleIn(owner, t.agencyId)).toBe('owner');

      // With a second owner, the first may step down; then the second is the last one.
      const adminId = await idOf(t.users.admin);
      expect((await owner.request('PATCH', `${base}/${adminId}`, { role: 'owner' })).statusCode).toBe(200);
      expect((await owner.request('PATCH', `${base}/${ownerId}`, { role: 'admin' })).statusCode).toBe(200);
      const second = await login(h.app, t.users.admin, TEST_PASSWORD);
      const removeLast = await second.request('PATCH', `${base}/${adminId}`, { role: 'viewer' });
      expect(removeLast.json().error.code).toBe('LAST_OWNER');
    });

    it('counts agency owners in a sub-account: its own last owner may go while the agency has one', async () => {
      const t = await createTenant(db());
      const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
      const viewerId = await idOf(t.users.viewer);
      await upsertMembership(db(), asAccountId(Number(t.subId)), viewerId, 'owner', true);
      const base = `/api/accounts/${t.subId}/members`;
      expect((await owner.request('DELETE', `${base}/${viewerId}`)).statusCode).toBe(204);
    });

    it('two owners demoting each other at once: one stays owner', async () => {
      const t = await createTenant(db());
      const base = `/api/accounts/${t.agencyId}/members`;
      const a = await login(h.app, t.users.owner, TEST_PASSWORD);
      const adminId = await idOf(t.users.admin);
      const ownerId = await idOf(t.users.owner);
      expect((await a.request('PATCH', `${base}/${adminId}`, { role: 'owner' })).statusCode).toBe(200);
      const b = await login(h.app, t.users.admin, TEST_PASSWORD);
      const results = await Promise.all([
        a.request('PATCH', `${base}/${adminId}`, { role: 'viewer' }),
        b.request('PATCH', `${base}/${ownerId}`, { role: 'viewer' }),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      // The second one either lost its owner rights first (403) or saw the last owner (409).
      expect(codes[0]).toBe(200);
      expect([403, 409]).toContain(codes[1]);
      const owners = await Promise.all([a, b].map((c) => roleIn(c, t.agencyId)));
      expect(owners.filter((r) => r === 'owner')).toHaveLength(1);
    });
  });
});
