// Own activation of templates and mailings and what inactive means: an inactive template cannot be
// used for a new bulk send or a mailing's schedule, and a mailing whose template was deactivated
// after scheduling fails at its start (template_inactive); an inactive scheduled mailing is held by
// the scheduler past its slot and starts at the next tick once activated; a running send cannot be
// deactivated. Real SMTP on loopback, the scheduler driven by the test clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startBulkSmtp, type BulkSmtp } from '../../../../test/helpers/bulk-smtp.ts';
import { mailingKit, type MailingTenant } from '../../../../test/helpers/mailings.ts';
import { TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { rows } from '../../db/types.ts';
import type { Mailing } from '../../../shared/mailings.ts';
import type { MessageTemplate, TemplatePage } from '../../../shared/templates.ts';

describe(`activation of templates and mailings (${ENGINE})`, () => {
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

  async function ready() {
    const t = await kit.tenant();
    await kit.senderProfile(t.accountId);
    const address = kit.addr('r');
    const contact = await kit.contact(t.accountId, { email: address });
    const list = await kit.list(t.accountId, [contact]);
    return { t, list, contact, address };
  }
  const template = async (t: MailingTenant, name = `Frame ${Date.now()}`) => {
    const res = await t.client.request('POST', `${t.base}/templates`, {
      channel: 'email',
      name,
      subject: 'Hi {{ first_name }}',
      html: '<p>Hi</p>',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<MessageTemplate>();
  };
  const activation = (t: MailingTenant, path: string, active: boolean, client = t.client) =>
    client.request('PUT', `${t.base}${path}/activation`, { active });
  const schedule = (t: MailingTenant, id: string, body: object = {}) =>
    t.client.request('POST', `${t.base}/mailings/${id}/schedule`, body);
  const actions = async (accountId: number) =>
    Number(
      (
        await rows<{ n: number }>(
          db(),
          sql`SELECT count(*)::int AS n FROM bulk_actions WHERE account_id = ${accountId}`,
        )
      )[0]!.n,
    );

  it('sets a template inactive and active again, filters the list by it, keeps version and content', async () => {
    const { t } = await ready();
    const tpl = await template(t, 'Aktiv-Test');
    const off = await activation(t, `/templates/${tpl.id}`, false);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<MessageTemplate>()).toMatchObject({
      id: tpl.id,
      active: false,
      version: tpl.version,
      html: tpl.html,
    });
    const inactive = await t.client.request('GET', `${t.base}/templates?active=false`);
    expect(inactive.json<TemplatePage>().items.map((i) => i.id)).toEqual([tpl.id]);
    expect(
      (await t.client.request('GET', `${t.base}/templates?active=true`)).json<TemplatePage>().items,
    ).toEqual([]);
    expect((await activation(t, `/templates/${tpl.id}`, true)).json<MessageTemplate>().active).toBe(true);
    // Rights: a viewer may not; another account's template is 404.
    const viewer = await login(h.app, t.users.viewer, TEST_PASSWORD);
    expect((await activation(t, `/templates/${tpl.id}`, false, viewer)).statusCode).toBe(403);
    const other = await kit.tenant();
    expect(
      (await other.client.request('PUT', `${other.base}/templates/${tpl.id}/activation`, { active: false }))
        .statusCode,
    ).toBe(404);
  });

  it('refuses an inactive template for a new bulk send and for scheduling, with nothing started', async () => {
    const { t, list, contact } = await ready();
    const tpl = await template(t);
    expect((await activation(t, `/templates/${tpl.id}`, false)).statusCode).toBe(200);
    const before = await actions(t.accountId);
    const send = await t.client.request('POST', `${t.base}/messaging/sends`, {
      channel: 'email',
      selection: { contactIds: [String(contact)] },
      templateId: tpl.id,
    });
    expect(send.statusCode, send.body).toBe(400);
    expect(send.json()).toMatchObject({
      error: { code: 'ELEMENT_INACTIVE', details: { kind: 'email_template', id: tpl.id } },
    });

    const m = await kit.createMailing(t, {
      subject: null,
      html: null,
      templateId: tpl.id,
      listIds: [String(list)],
    });
    for (const body of [{}, { scheduledFor: new Date(h.clock.now().getTime() + 3_600_000).toISOString() }]) {
      const res = await schedule(t, m.id, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: 'ELEMENT_INACTIVE', details: { kind: 'email_template', id: tpl.id } },
      });
    }
    expect((await kit.getMailing(t, m.id)).status).toBe('draft');
    expect(await actions(t.accountId)).toBe(before);

    // Active again, the same send goes.
    expect((await activation(t, `/templates/${tpl.id}`, true)).statusCode).toBe(200);
    expect((await schedule(t, m.id)).statusCode).toBe(200);
    expect(await actions(t.accountId)).toBe(before + 1);
  });

  it('an inactive scheduled mailing does not send past its slot, and sends after activation', async () => {
    const { t, list, address } = await ready();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    const slot = new Date(h.clock.now().getTime() + 30 * 60_000).toISOString();
    expect((await schedule(t, m.id, { scheduledFor: slot })).statusCode).toBe(200);
    const off = await activation(t, `/mailings/${m.id}`, false);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<Mailing>()).toMatchObject({ active: false, status: 'scheduled', scheduledFor: slot });

    h.clock.advance(61 * 60_000);
    await h.services.mailings.sends.tick();
    await h.services.mailings.sends.tick();
    expect(await kit.getMailing(t, m.id)).toMatchObject({
      status: 'scheduled',
      actionId: null,
      preflight: null,
    });
    expect(smtp.accepted.filter((a) => a.to === address.toLowerCase())).toHaveLength(0);

    const on = await activation(t, `/mailings/${m.id}`, true);
    expect(on.json<Mailing>()).toMatchObject({ active: true, status: 'scheduled', scheduledFor: slot });
    await h.services.mailings.sends.tick();
    expect((await kit.getMailing(t, m.id)).status).toBe('sending');
    // While its send runs, it cannot be deactivated.
    const busy = await activation(t, `/mailings/${m.id}`, false);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ error: { code: 'MAILING_BUSY' } });
    expect((await kit.sendAll(t, m.id)).status).toBe('sent');
    expect(smtp.accepted.filter((a) => a.to === address.toLowerCase())).toHaveLength(1);
  });

  it('an inactive draft cannot be sent now, but can be scheduled and is held', async () => {
    const { t, list } = await ready();
    const m = await kit.createMailing(t, { listIds: [String(list)] });
    expect((await activation(t, `/mailings/${m.id}`, false)).statusCode).toBe(200);
    const now = await schedule(t, m.id);
    expect(now.statusCode).toBe(400);
    expect(now.json()).toMatchObject({
      error: { code: 'ELEMENT_INACTIVE', details: { kind: 'mailing', id: m.id } },
    });
    const slot = new Date(h.clock.now().getTime() + 10 * 60_000).toISOString();
    expect((await schedule(t, m.id, { scheduledFor: slot })).statusCode).toBe(200);
    h.clock.advance(11 * 60_000);
    await h.services.mailings.sends.tick();
    expect(await kit.getMailing(t, m.id)).toMatchObject({ status: 'scheduled', actionId: null });
  });

  it('a mailing whose template was deactivated after scheduling fails at its start with template_inactive', async () => {
    const { t, list } = await ready();
    const tpl = await template(t);
    const m = await kit.createMailing(t, {
      subject: null,
      html: null,
      templateId: tpl.id,
      listIds: [String(list)],
    });
    const slot = new Date(h.clock.now().getTime() + 5 * 60_000).toISOString();
    expect((await schedule(t, m.id, { scheduledFor: slot })).statusCode).toBe(200);
    expect((await activation(t, `/templates/${tpl.id}`, false)).statusCode).toBe(200);
    h.clock.advance(6 * 60_000);
    await h.services.mailings.sends.tick();
    expect(await kit.getMailing(t, m.id)).toMatchObject({
      status: 'failed',
      failureReason: 'template_inactive',
      actionId: null,
    });
    const told = await kit.notificationsOf(t.accountId, 'mailing.send_failed', m.id);
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ reason: 'template_inactive' });
  });
});
