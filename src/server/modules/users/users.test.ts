import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { asAccountId } from '../../db/tenant.ts';
import { hashPassword } from '../../security/passwords.ts';
import { insertUser, upsertMembership } from './users.repo.ts';

describe(`my settings and user management (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
  });
  afterAll(() => h.close());

  it('stores name, language and the system-messages opt-in', async () => {
    const res = await owner.request('PATCH', '/api/me/settings', {
      name: 'Olivia O.',
      language: 'de',
      emailSystemMessages: true,
    });
    expect(res.statusCode).toBe(200);
    const me = (await owner.request('GET', '/api/me')).json();
    expect(me.user).toMatchObject({ name: 'Olivia O.', language: 'de', emailSystemMessages: true });
    // null means "follow the browser".
    expect((await owner.request('PATCH', '/api/me/settings', { language: null })).json().language).toBeNull();
  });

  it('rejects unknown settings and bad values with the field', async () => {
    const res = await owner.request('PATCH', '/api/me/settings', { language: 'fr', admin: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('changes the password, ends other sessions and keeps this one', async () => {
    const email = tenant.users.analyst;
    const here = await login(h.app, email, TEST_PASSWORD);
    const elsewhere = await login(h.app, email, TEST_PASSWORD);
    const wrong = await here.request('POST', '/api/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-new-long-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    const short = await here.request('POST', '/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(400);
    const ok = await here.request('POST', '/api/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-new-long-password',
    });
    expect(ok.statusCode).toBe(204);
    expect((await here.request('GET', '/api/me')).statusCode).toBe(200);
    expect((await elsewhere.request('GET', '/api/me')).statusCode).toBe(401);
    await expect(login(h.app, email, 'a-new-long-password')).resolves.toBeTruthy();
  });

  it('lets a users.manage holder change the role of a member and remove them', async () => {
    const base = `/api/accounts/${tenant.subId}/members`;
    // Members join by invitation (invitations.test.ts); here the membership is made directly.
    const newbieUser = await insertUser(h.db.database.db, {
      email: 'new.person@test.example',
      name: 'New Person',
      passwordHash: await hashPassword('first-password-1'),
    });
    await upsertMembership(
      h.db.database.db,
      asAccountId(Number(tenant.subId)),
      newbieUser.id,
      'marketer',
      false,
    );
    const newbie = await login(h.app, 'new.person@test.example', 'first-password-1');
    const accounts = (await newbie.request('GET', '/api/me')).json().accounts;
    expect(accounts.map((a: { id: string }) => a.id)).toEqual([tenant.subId]);
    // Their access is the sub-account only: the agency is invisible.
    expect((await newbie.request('GET', `/api/accounts/${tenant.agencyId}`)).statusCode).toBe(404);

    const changed = await owner.request('PATCH', `${base}/${newbieUser.id}`, { role: 'viewer' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().rights).toEqual(['contacts.view']);
    expect((await newbie.request('GET', '/api/me')).json().accounts[0].rights).toEqual(['contacts.view']);

    expect((await owner.request('DELETE', `${base}/${newbieUser.id}`)).statusCode).toBe(204);
    expect((await newbie.request('GET', '/api/me')).json().accounts).toEqual([]);
    expect((await owner.request('DELETE', `${base}/${newbieUser.id}`)).statusCode).toBe(404);
  });

  it('never lets an admin grant rights they do not hold', async () => {
    const admin = await login(h.app, tenant.users.admin, TEST_PASSWORD);
    const res = await admin.request('POST', `/api/accounts/${tenant.agencyId}/members`, {
      email: 'escalate@test.example',
      name: 'E',
      role: 'owner',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses removing your own membership', async () => {
    const res = await owner.request('DELETE', `/api/accounts/${tenant.agencyId}/members/${owner.userId}`);
    expect(res.statusCode).toBe(409);
  });
});
