import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startSmtp, type TestSmtp } from '../../../../test/helpers/smtp.ts';
import { DEMO_PASSWORD, seedDemo } from '../../seed/demo.ts';
import { findUserByEmail } from './users.repo.ts';

/** The invitation link's token from the last email to `to` (quoted-printable soft breaks undone). */
function tokenFrom(smtp: TestSmtp, to: string): string {
  const mail = smtp.received.filter((m) => m.to.includes(to)).at(-1);
  if (!mail) throw new Error(`no email to ${to}`);
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /\/invitation#token=(inv_[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no invitation link in ${text}`);
  return match[1]!;
}

const publicPost = (app: FastifyInstance, url: string, payload: object) =>
  app.inject({ method: 'POST', url, payload });

describe(`invitations: adding a member never reveals or pulls in another tenant's user (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: TestSmtp;
  const db = () => h.db.database.db;
  beforeAll(async () => {
    smtp = await startSmtp();
    h = await createHarness({ env: { SMTP_URL: smtp.url, HERALD_PUBLIC_URL: 'https://herald.test' } });
    await seedDemo(h.db.database);
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  it('the issue example: a known email of another tenant answers exactly like an unknown one', async () => {
    // owner@nordlicht owns account 2 (Bäckerei) through the agency; viewer@velo.example is only in Velo Berlin.
    const owner = await login(h.app, 'owner@nordlicht.example', DEMO_PASSWORD);
    const known = await owner.request('POST', '/api/accounts/2/members', {
      email: 'viewer@velo.example',
      name: 'x',
      role: 'viewer',
    });
    const unknown = await owner.request('POST', '/api/accounts/2/members', {
      email: 'nobody.here@velo.example',
      name: 'x',
      role: 'viewer',
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    const shape = (body: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k === 'email' || k === 'id' ? '*' : v]));
    const { createdAt: _a, expiresAt: _b, ...knownRest } = known.json();
    const { createdAt: _c, expiresAt: _d, ...unknownRest } = unknown.json();
    expect(shape(knownRest)).toEqual(shape(unknownRest));
    expect(Object.keys(known.json()).sort()).toEqual(
      ['createdAt', 'email', 'emailStatus', 'expiresAt', 'id', 'role'].sort(),
    );
    const velo = (await findUserByEmail(db(), 'viewer@velo.example'))!;
    expect(known.body).not.toContain(velo.name);
    expect(known.json()).toMatchObject({ email: 'viewer@velo.example', role: 'viewer', emailStatus: 'sent' });
    // Not pulled in: no membership until they accept.
    const members = (await owner.request('GET', '/api/accounts/2/members')).json().items;
    expect(members.map((m: { email: string }) => m.email)).not.toContain('viewer@velo.example');
    const pending = (await owner.request('GET', '/api/accounts/2/invitations')).json().items;
    expect(pending.map((i: { email: string }) => i.email).sort()).toEqual([
      'nobody.here@velo.example',
      'viewer@velo.example',
    ]);
    // Both received an invitation email with a link.
    expect(tokenFrom(smtp, 'viewer@velo.example')).toMatch(/^inv_/);
    expect(tokenFrom(smtp, 'nobody.here@velo.example')).toMatch(/^inv_/);
  });

  it('an existing user sees the invitation while logged in and accepts or declines it', async () => {
    const owner = await login(h.app, 'owner@nordlicht.example', DEMO_PASSWORD);
    await owner.request('POST', '/api/accounts/2/members', { email: 'viewer@velo.example', role: 'analyst' });
    const vera = await login(h.app, 'viewer@velo.example', DEMO_PASSWORD);
    const mine = (await vera.request('GET', '/api/me/invitations')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ accountId: '2', accountName: 'Bäckerei Sonnenschein', role: 'analyst' });
    expect(mine[0].invitedBy).toBe('Olivia Owner');
    // Someone else cannot accept it.
    const other = await login(h.app, 'analyst@velo.example', DEMO_PASSWORD);
    expect((await other.request('POST', `/api/me/invitations/${mine[0].id}/accept`)).statusCode).toBe(404);

    const accepted = await vera.request('POST', `/api/me/invitations/${mine[0].id}/accept`);
    expect(accepted.statusCode).toBe(200);
    const accounts = (await vera.request('GET', '/api/me')).json().accounts;
    expect(accounts.find((a: { id: string }) => a.id === '2')).toMatchObject({ role: 'analyst' });
    expect((await vera.request('GET', '/api/me/invitations')).json().items).toEqual([]);
    // Single use.
    expect((await vera.request('POST', `/api/me/invitations/${mine[0].id}/accept`)).statusCode).toBe(404);

    // Inviting a direct member again is refused; change the role instead.
    const again = await owner.request('POST', '/api/accounts/2/members', {
      email: 'viewer@velo.example',
      role: 'viewer',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_MEMBER');

    const invited = await owner.request('POST', '/api/accounts/1/members', {
      email: 'analyst@velo.example',
      role: 'viewer',
    });
    expect(invited.statusCode).toBe(202);
    const ali = (await other.request('GET', '/api/me/invitations')).json().items;
    expect((await other.request('POST', `/api/me/invitations/${ali[0].id}/decline`)).statusCode).toBe(204);
    expect((await owner.request('GET', '/api/accounts/1/invitations')).json().items).toEqual([]);
    expect(
      (await other.request('GET', '/api/me')).json().accounts.map((a: { id: string }) => a.id),
    ).not.toContain('1');
  });

  it('a new user accepts by link with their own name and password, once', async () => {
    const owner = await login(h.app, 'owner@nordlicht.example', DEMO_PASSWORD);
    await owner.request('POST', '/api/accounts/3/members', {
      email: 'New.Person@Test.Example',
      role: 'marketer',
    });
    const token = tokenFrom(smtp, 'new.person@test.example');
    const mail = smtp.received
      .at(-1)!
      .raw.replace(/=\r?\n/g, '')
      .replace(/=3D/g, '=');
    expect(mail).toContain('Velo Berlin');
    expect(mail).toContain('https://herald.test/invitation#token');

    const lookup = await publicPost(h.app, '/api/invitations/lookup', { token });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toMatchObject({
      email: 'new.person@test.example',
      accountName: 'Velo Berlin',
      role: 'marketer',
      hasLogin: false,
    });
    const weak = await publicPost(h.app, '/api/invitations/accept', { token, name: 'N', password: 'short' });
    expect(weak.statusCode).toBe(400);
    const ok = await publicPost(h.app, '/api/invitations/accept', {
      token,
      name: 'Nora Newcomer',
      password: 'my-own-password-1',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ email: 'new.person@test.example', accountId: '3' });
    const nora = await login(h.app, 'new.person@test.example', 'my-own-password-1');
    const me = (await nora.request('GET', '/api/me')).json();
    expect(me.user.name).toBe('Nora Newcomer');
    expect(me.accounts.map((a: { id: string; role: string }) => [a.id, a.role])).toEqual([['3', 'marketer']]);

    const reuse = await publicPost(h.app, '/api/invitations/accept', {
      token,
      name: 'Mallory',
      password: 'another-password-1',
    });
    expect(reuse.statusCode).toBe(404);
    expect(reuse.json().error.code).toBe('INVITATION_INVALID');
    expect(
      (await publicPost(h.app, '/api/invitations/lookup', { token: 'inv_' + 'x'.repeat(43) })).statusCode,
    ).toBe(404);
    expect((await publicPost(h.app, '/api/invitations/lookup', { token: 'a b' })).statusCode).toBe(400);
  });

  it('a link for an address that has a login does not create a second one', async () => {
    const owner = await login(h.app, 'owner@nordlicht.example', DEMO_PASSWORD);
    await owner.request('POST', '/api/accounts/1/members', {
      email: 'marketer@baeckerei.example',
      role: 'viewer',
    });
    const token = tokenFrom(smtp, 'marketer@baeckerei.example');
    expect((await publicPost(h.app, '/api/invitations/lookup', { token })).json().hasLogin).toBe(true);
    const res = await publicPost(h.app, '/api/invitations/accept', {
      token,
      name: 'Takeover',
      password: 'takeover-password',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EMAIL_TAKEN');
    await expect(login(h.app, 'marketer@baeckerei.example', DEMO_PASSWORD)).resolves.toBeTruthy();
  });

  describe('managing invitations', () => {
    let t: Tenant;
    let owner: Client;
    beforeAll(async () => {
      t = await createTenant(db());
      owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    });

    it('lists, revokes and replaces pending invitations; links of replaced or revoked ones stop working', async () => {
      const base = `/api/accounts/${t.subId}`;
      await owner.request('POST', `${base}/members`, { email: 'pending@test.example', role: 'viewer' });
      const first = tokenFrom(smtp, 'pending@test.example');
      const replaced = await owner.request('POST', `${base}/members`, {
        email: 'Pending@test.example',
        role: 'analyst',
      });
      expect(replaced.statusCode).toBe(202);
      const second = tokenFrom(smtp, 'pending@test.example');
      expect(second).not.toBe(first);
      const list = (await owner.request('GET', `${base}/invitations`)).json().items;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ role: 'analyst' });
      expect((await publicPost(h.app, '/api/invitations/lookup', { token: first })).statusCode).toBe(404);
      expect((await publicPost(h.app, '/api/invitations/lookup', { token: second })).statusCode).toBe(200);

      // A viewer (no users.manage) sees and revokes nothing.
      const viewer = await login(h.app, t.users.viewer, TEST_PASSWORD);
      expect((await viewer.request('GET', `${base}/invitations`)).statusCode).toBe(403);
      expect((await viewer.request('DELETE', `${base}/invitations/${list[0].id}`)).statusCode).toBe(403);

      expect((await owner.request('DELETE', `${base}/invitations/${list[0].id}`)).statusCode).toBe(204);
      expect((await owner.request('DELETE', `${base}/invitations/${list[0].id}`)).statusCode).toBe(404);
      expect((await publicPost(h.app, '/api/invitations/lookup', { token: second })).statusCode).toBe(404);
      // Another account's manager cannot revoke it by id either.
      const other = await createTenant(db());
      const otherOwner = await login(h.app, other.users.owner, TEST_PASSWORD);
      await owner.request('POST', `${base}/members`, { email: 'pending@test.example', role: 'viewer' });
      const id = (await owner.request('GET', `${base}/invitations`)).json().items[0].id;
      expect(
        (await otherOwner.request('DELETE', `/api/accounts/${other.agencyId}/invitations/${id}`)).statusCode,
      ).toBe(404);
    });

    it('expires after seven days', async () => {
      await owner.request('POST', `/api/accounts/${t.subId}/members`, {
        email: 'late@test.example',
        role: 'viewer',
      });
      const token = tokenFrom(smtp, 'late@test.example');
      h.clock.advance(8 * 86_400_000);
      try {
        expect((await publicPost(h.app, '/api/invitations/lookup', { token })).statusCode).toBe(404);
        // (A new login: the old session ended with the week, too.)
        const later = await login(h.app, t.users.owner, TEST_PASSWORD);
        const listed = (await later.request('GET', `/api/accounts/${t.subId}/invitations`)).json().items;
        expect(listed.map((i: { email: string }) => i.email)).not.toContain('late@test.example');
      } finally {
        h.clock.advance(-8 * 86_400_000);
      }
    });

    it('checks the grant at invite time and again at accept time, against the inviter then', async () => {
      owner = await login(h.app, t.users.owner, TEST_PASSWORD);
      const admin = await login(h.app, t.users.admin, TEST_PASSWORD);
      const base = `/api/accounts/${t.subId}/members`;
      const tooMuch = await admin.request('POST', base, { email: 'boss@test.example', role: 'owner' });
      expect(tooMuch.statusCode).toBe(403);
      expect(tooMuch.json().error.code).toBe('FORBIDDEN');

      expect(
        (await admin.request('POST', base, { email: 'helper@test.example', role: 'marketer' })).statusCode,
      ).toBe(202);
      const token = tokenFrom(smtp, 'helper@test.example');
      // The owner makes the inviter a viewer: they can no longer grant 'marketer'.
      const adminId = (await findUserByEmail(db(), t.users.admin))!.id;
      expect(
        (await owner.request('PATCH', `/api/accounts/${t.agencyId}/members/${adminId}`, { role: 'viewer' }))
          .statusCode,
      ).toBe(200);
      const res = await publicPost(h.app, '/api/invitations/accept', {
        token,
        name: 'Helper',
        password: 'helper-password-1',
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('INVITER_LACKS_RIGHTS');
      expect(await findUserByEmail(db(), 'helper@test.example')).toBeUndefined();
    });
  });
});
