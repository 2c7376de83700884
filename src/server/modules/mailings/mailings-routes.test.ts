// The mailings API: drafts and their checks (content, template, names, merge fields), completeness,
// the list with status filter and search, pause / resume / cancel / reschedule before the slot and
// during the send, edits and deletes refused while sending, tenant isolation and rights on every route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { mailingKit, type MailingTenant } from '../../../../test/helpers/mailings.ts';
import { TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { rows } from '../../db/types.ts';
import type { Mailing } from '../../../shared/mailings.ts';

describe(`mailings API (${ENGINE})`, () => {
  let h: TestHarness;
  let smtp: BulkSmtp;
  const kit = mailingKit(() => h);
  const db = () => kit.db();

  beforeAll(async () => {
    smtp = await startBulkSmtp();
    h = await createHarness({ env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    h.services.channels.close();
    await h.close();
    await smtp.close();
  });

  const call = (t: MailingTenant, method: string, path: string, body?: unknown, client: Client = t.client) =>
    client.request(method as 'GET', `${t.base}/mailings${path}`, body);
  const codeOf = (res: { json<T>(): T }) => res.json<{ error: { code: string; details?: unknown } }>().error;

  async function ready(n = 1) {
    const t = await kit.tenant();
    await kit.senderProfile(t.accountId);
    const contacts: number[] = [];
    for (let i = 0; i < n; i++) contacts.push(await kit.contact(t.accountId, { email: kit.addr('c') }));
    const list = await kit.list(t.accountId, contacts);
    return { t, list };
  }

  it('checks drafts: one kind of content, known merge fields, own template and sender, unique names', async () => {
    const t = await kit.tenant();
    const draft = await call(t, 'POST', '', { name: 'Only a name' });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json<Mailing>()).toMatchObject({
      status: 'draft',
      lists: [],
      tracking: true,
      figures: null,
      rootId: draft.json<Mailing>().id,
    });
    const taken = await call(t, 'POST', '', { name: 'ONLY A NAME' });
    expect(taken.statusCode).toBe(409);
    expect(codeOf(taken).code).toBe('CONFLICT');

    const [tpl] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO message_templates (account_id, name, channel, subject, html)
          VALUES (${t.accountId}, 'Tpl', 'email', 'S', '<p>x</p>') RETURNING id`,
    );
    const both = await call(t, 'POST', '', {
      name: 'Both',
      templateId: String(tpl!.id),
      subject: 'S',
      html: '<p/>',
    });
    expect(both.statusCode).toBe(400);
    expect(codeOf(both).code).toBe('VALIDATION_FAILED');
    const unknown = await call(t, 'POST', '', {
      name: 'Unknown',
      subject: 'Hi {{ shoe_size }}',
      html: '<p/>',
    });
    expect(unknown.statusCode).toBe(400);
    expect(codeOf(unknown).code).toBe('TEMPLATE_INVALID');
    const withTemplate = await call(t, 'POST', '', { name: 'With template', templateId: String(tpl!.id) });
    expect(withTemplate.json<Mailing>()).toMatchObject({ templateId: String(tpl!.id), templateName: 'Tpl' });

    const other = await kit.tenant();
    const foreignList = await kit.list(other.accountId, []);
    const notMine = await call(t, 'POST', '', { name: 'Foreign', listIds: [String(foreignList)] });
    expect(notMine.statusCode).toBe(404);
    const foreignTpl = await call(other, 'POST', '', { name: 'Foreign tpl', templateId: String(tpl!.id) });
    expect(foreignTpl.statusCode).toBe(404);
    const badId = await call(t, 'POST', '', { name: 'Bad', listIds: ['abc'] });
    expect(badId.statusCode).toBe(400);
  });

  it('refuses to schedule an incomplete mailing, naming what is missing', async () => {
    const t = await kit.tenant();
    const m = (await call(t, 'POST', '', { name: 'Empty' })).json<Mailing>();
    const res = await call(t, 'POST', `/${m.id}/schedule`, { confirmEmpty: true });
    expect(res.statusCode).toBe(400);
    expect(codeOf(res)).toMatchObject({
      code: 'MAILING_INCOMPLETE',
      details: { missing: ['content', 'sender', 'audience'] },
    });
    await kit.senderProfile(t.accountId);
    const list = await kit.list(t.accountId, []);
    await call(t, 'PATCH', `/${m.id}`, { listIds: [String(list)] });
    const still = await call(t, 'POST', `/${m.id}/schedule`, { confirmEmpty: true });
    expect(codeOf(still)).toMatchObject({ code: 'MAILING_INCOMPLETE', details: { missing: ['content'] } });
  });

  it('lists newest first with status filter, search and cursor', async () => {
    const { t, list } = await ready();
    const a = await kit.createMailing(t, { name: 'Spring offers', listIds: [String(list)] });
    const b = await kit.createMailing(t, { name: 'Summer offers', listIds: [String(list)] });
    const c = await kit.createMailing(t, { name: 'Autumn news', listIds: [String(list)] });
    await call(t, 'POST', `/${b.id}/schedule`, { scheduledFor: '2030-01-01T10:00' });
    const page = (await call(t, 'GET', '?limit=2')).json<{ items: Mailing[]; nextCursor: string | null }>();
    expect(page.items.map((i) => i.id)).toEqual([c.id, b.id]);
    const next = (await call(t, 'GET', `?limit=2&cursor=${page.nextCursor}`)).json<{ items: Mailing[] }>();
    expect(next.items.map((i) => i.id)).toEqual([a.id]);
    const offers = (await call(t, 'GET', '?search=offers&status=draft')).json<{ items: Mailing[] }>();
    expect(offers.items.map((i) => i.id)).toEqual([a.id]);
    const scheduled = (await call(t, 'GET', '?status=scheduled')).json<{ items: Mailing[] }>();
    expect(scheduled.items.map((i) => i.id)).toEqual([b.id]);
    // A wall-clock time is read in the account's zone (Europe/Berlin by default or UTC): an instant.
    expect(scheduled.items[0]!.scheduledFor).toMatch(/^2030-01-01T\d\d:00:00\.000Z$/);
    expect((await call(t, 'GET', '?cursor=bad!')).statusCode).toBe(400);
  });

  it('before the slot: pause holds it, resume lets it start, reschedule moves it, cancel ends it', async () => {
    const { t, list } = await ready();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const slot = new Date(h.clock.now().getTime() + 30 * 60_000).toISOString();
    expect((await call(t, 'POST', `/${m.id}/schedule`, { scheduledFor: slot })).statusCode).toBe(200);
    const twice = await call(t, 'POST', `/${m.id}/schedule`, {});
    expect(twice.statusCode).toBe(409);
    expect(codeOf(twice)).toMatchObject({ code: 'MAILING_BUSY', details: { status: 'scheduled' } });

    const later = new Date(h.clock.now().getTime() + 60 * 60_000).toISOString();
    const moved = await call(t, 'POST', `/${m.id}/reschedule`, { scheduledFor: later });
    expect(moved.json<Mailing>()).toMatchObject({ scheduledFor: later, status: 'scheduled' });
    const edited = await call(t, 'PATCH', `/${m.id}`, { subject: 'Changed' });
    expect(edited.statusCode, edited.body).toBe(200);

    expect((await call(t, 'POST', `/${m.id}/pause`)).json<Mailing>()).toMatchObject({ held: true });
    expect((await call(t, 'POST', `/${m.id}/pause`)).statusCode).toBe(409);
    h.clock.advance(61 * 60_000);
    await h.services.mailings.sends.tick();
    expect(await kit.getMailing(t, m.id)).toMatchObject({ status: 'scheduled', held: true, actionId: null });
    expect((await call(t, 'POST', `/${m.id}/resume`)).json<Mailing>()).toMatchObject({ held: false });
    await h.services.mailings.sends.tick();
    expect((await kit.getMailing(t, m.id)).status).toBe('sending');
    expect((await call(t, 'POST', `/${m.id}/reschedule`, { scheduledFor: later })).statusCode).toBe(409);
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');

    const other = await kit.createMailing(t, { listIds: [String(list)] });
    const soon = new Date(h.clock.now().getTime() + 10 * 60_000).toISOString();
    await call(t, 'POST', `/${other.id}/schedule`, { scheduledFor: soon });
    expect((await call(t, 'POST', `/${other.id}/cancel`)).json<Mailing>().status).toBe('cancelled');
    h.clock.advance(11 * 60_000);
    await h.services.mailings.sends.tick();
    expect(await kit.getMailing(t, other.id)).toMatchObject({ status: 'cancelled', actionId: null });
    expect((await call(t, 'POST', `/${other.id}/resume`)).statusCode).toBe(409);
  });

  it('during the send: pause, resume and cancel act on its action; edits wait, deletes are refused', async () => {
    const { t, list } = await ready(3);
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await call(t, 'POST', `/${m.id}/schedule`, {})).statusCode).toBe(200);
    const actionId = Number((await kit.getMailing(t, m.id)).actionId);
    await h.services.bulkRunner.run(actionId);
    const paused = await call(t, 'POST', `/${m.id}/pause`);
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json<Mailing>().status).toBe('paused');
    const patch = await call(t, 'PATCH', `/${m.id}`, { subject: 'x' });
    expect(codeOf(patch)).toMatchObject({ code: 'MAILING_BUSY', details: { status: 'paused' } });
    expect((await call(t, 'DELETE', `/${m.id}`)).statusCode).toBe(409);
    expect((await call(t, 'POST', `/${m.id}/resend`, {})).statusCode).toBe(409);
    expect((await call(t, 'POST', `/${m.id}/resume`)).json<Mailing>().status).toBe('sending');
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');

    const second = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await call(t, 'POST', `/${second.id}/schedule`, {})).statusCode).toBe(200);
    await h.services.bulkRunner.run(Number((await kit.getMailing(t, second.id)).actionId));
    const cancelled = await call(t, 'POST', `/${second.id}/cancel`);
    expect(cancelled.json<Mailing>().status).toBe('cancelled');
    // Cancelled after its start: it has a send (statistics, the family's memory), so it stays.
    expect((await call(t, 'DELETE', `/${second.id}`)).statusCode).toBe(409);
    expect((await call(t, 'GET', `/${second.id}`)).statusCode).toBe(200);
  });

  it('a repeated "send now" with the same Idempotency-Key answers the first answer, starting one send', async () => {
    const { t, list } = await ready();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const path = `${t.base}/mailings/${m.id}/schedule`;
    const first = await t.client.request('POST', path, {}, { 'idempotency-key': 'k-1' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const again = await t.client.request('POST', path, {}, { 'idempotency-key': 'k-1' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json<Mailing>().actionId).toBe(first.json<Mailing>().actionId);
    const other = await t.client.request('POST', path, { confirmEmpty: true }, { 'idempotency-key': 'k-1' });
    expect(other.statusCode).toBe(409);
    const withoutKey = await t.client.request('POST', path, {});
    expect(codeOf(withoutKey).code).toBe('MAILING_BUSY');
    const actions = await rows(
      db(),
      sql`SELECT 1 FROM bulk_actions WHERE account_id = ${t.accountId} AND type = 'bulk_email'`,
    );
    expect(actions).toHaveLength(1);
  });

  it("answers 404 for another account's mailing on every route", async () => {
    const { t, list } = await ready();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const other = await kit.tenant();
    const routes: [string, string, unknown?][] = [
      ['GET', `/${m.id}`],
      ['PATCH', `/${m.id}`, { name: 'x' }],
      ['DELETE', `/${m.id}`],
      ['GET', `/${m.id}/audience`],
      ['POST', `/${m.id}/schedule`, {}],
      ['POST', `/${m.id}/reschedule`, { scheduledFor: '2030-01-01T10:00:00Z' }],
      ['POST', `/${m.id}/pause`],
      ['POST', `/${m.id}/resume`],
      ['POST', `/${m.id}/cancel`],
      ['POST', `/${m.id}/resend`, {}],
      ['POST', '/audience', { listIds: [], targetGroupIds: [], resendOf: m.id }],
    ];
    for (const [method, path, body] of routes) {
      const res = await call(other, method, path, body);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
    }
    // The other account's routes on this account: no access at all.
    const res = await other.client.request('GET', `${t.base}/mailings/${m.id}`);
    expect([403, 404]).toContain(res.statusCode);
    expect((await kit.getMailing(t, m.id)).name).toBe(m.name);
  });

  it('checks rights on every route: viewers and analysts read, only managers edit and senders send', async () => {
    const { t, list } = await ready();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    for (const role of ['viewer', 'analyst'] as const) {
      const client = await login(h.app, t.users[role], TEST_PASSWORD);
      expect((await call(t, 'GET', '', undefined, client)).statusCode).toBe(200);
      expect((await call(t, 'GET', `/${m.id}`, undefined, client)).statusCode).toBe(200);
      expect((await call(t, 'GET', `/${m.id}/audience`, undefined, client)).statusCode).toBe(200);
      const count = await call(
        t,
        'POST',
        '/audience',
        { listIds: [String(list)], targetGroupIds: [] },
        client,
      );
      expect(count.statusCode).toBe(200);
      const refused: [string, string, unknown?][] = [
        ['POST', '', { name: 'Mine' }],
        ['PATCH', `/${m.id}`, { name: 'x' }],
        ['DELETE', `/${m.id}`],
        ['POST', `/${m.id}/schedule`, {}],
        ['POST', `/${m.id}/reschedule`, { scheduledFor: '2030-01-01T10:00:00Z' }],
        ['POST', `/${m.id}/pause`],
        ['POST', `/${m.id}/resume`],
        ['POST', `/${m.id}/cancel`],
        ['POST', `/${m.id}/resend`, {}],
      ];
      for (const [method, path, body] of refused) {
        const res = await call(t, method, path, body, client);
        expect(res.statusCode, `${role} ${method} ${path}`).toBe(403);
      }
    }
    const observer = await login(h.app, t.users.observer, TEST_PASSWORD);
    expect((await call(t, 'GET', '', undefined, observer)).statusCode).toBe(403);
    expect((await kit.getMailing(t, m.id)).status).toBe('draft');
  });
});
