import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import type { MessageTemplate, TemplatePage, TemplatePreview } from '../../../shared/templates.ts';

describe(`templates API (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let marketer: Client;
  let viewer: Client;
  let analyst: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;
  const contacts: Record<string, string> = {};

  const create = async (body: object, client = owner) => client.request('POST', url('/templates'), body);
  const created = async (body: object): Promise<MessageTemplate> => {
    const res = await create(body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<MessageTemplate>();
  };
  const preview = async (body: object): Promise<TemplatePreview> => {
    const res = await owner.request('POST', url('/templates/preview'), body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TemplatePreview>();
  };

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    marketer = await login(h.app, tenant.users.marketer, TEST_PASSWORD);
    viewer = await login(h.app, tenant.users.viewer, TEST_PASSWORD);
    analyst = await login(h.app, tenant.users.analyst, TEST_PASSWORD);
    for (const field of [
      { key: 'plan', label: 'Tarif', type: 'text' },
      { key: 'renewal', label: 'Verlängerung', type: 'date' },
    ]) {
      expect((await owner.request('POST', url('/custom-fields'), field)).statusCode).toBe(201);
    }
    const add = async (name: string, body: object) => {
      const res = await owner.request('POST', url('/contacts'), body);
      expect(res.statusCode, res.body).toBe(201);
      contacts[name] = res.json<{ id: string }>().id;
    };
    await add('anna', {
      email: 'anna@example.org',
      firstName: 'Anna',
      lastName: 'Schmidt',
      customFields: { plan: 'Gold', renewal: '2027-01-31' },
    });
    await add('script', { email: 'script@example.org', firstName: '<script>alert(1)</script>' });
    await add('nameless', { phone: '+49 30 1234567' });
  });
  afterAll(() => h.close());

  it('creates, reads, lists, changes and deletes an email template, storing the fields it uses', async () => {
    const t = await created({
      channel: 'email',
      name: 'Welcome',
      subject: 'Hallo {{ first_name | default: "Kundin, Kunde" }}',
      html: '<p>Ihr Tarif: {{ plan }}</p><a href="{{ unsubscribe_url }}">Abmelden</a>',
    });
    expect(t).toMatchObject({
      channel: 'email',
      name: 'Welcome',
      text: null,
      fields: ['first_name', 'plan', 'unsubscribe_url'],
    });
    expect((await owner.request('GET', url(`/templates/${t.id}`))).json()).toEqual(t);

    const changed = await marketer.request('PATCH', url(`/templates/${t.id}`), {
      text: 'Hallo {{ last_name }}',
      name: 'Welcome 2',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      name: 'Welcome 2',
      subject: 'Hallo {{ first_name | default: "Kundin, Kunde" }}',
      text: 'Hallo {{ last_name }}',
      fields: ['first_name', 'last_name', 'plan', 'unsubscribe_url'],
    });
    const dropped = await owner.request('PATCH', url(`/templates/${t.id}`), { text: null });
    expect(dropped.json()).toMatchObject({ text: null, fields: ['first_name', 'plan', 'unsubscribe_url'] });

    expect((await owner.request('DELETE', url(`/templates/${t.id}`))).statusCode).toBe(204);
    expect((await owner.request('GET', url(`/templates/${t.id}`))).statusCode).toBe(404);
    expect((await owner.request('DELETE', url(`/templates/${t.id}`))).statusCode).toBe(404);
  });

  it('lists by name with a channel filter, a name search and keyset pages', async () => {
    const names = ['Alpha news', 'beta news', 'Gamma offer', 'delta news'];
    for (const name of names) {
      await created({ channel: 'email', name, subject: 's', html: '<p>x</p>' });
    }
    await created({ channel: 'sms', name: 'Alpha news', text: 'Hi {{ first_name }}' });
    const all = (await owner.request('GET', url('/templates?search=NEWS&limit=2'))).json<TemplatePage>();
    expect(all.items.map((i) => [i.name, i.channel])).toEqual([
      ['Alpha news', 'email'],
      ['Alpha news', 'sms'],
    ]);
    const next = (
      await owner.request('GET', url(`/templates?search=NEWS&limit=2&cursor=${all.nextCursor}`))
    ).json<TemplatePage>();
    expect(next.items.map((i) => i.name)).toEqual(['beta news', 'delta news']);
    expect(next.nextCursor).toBeNull();
    const sms = (await viewer.request('GET', url('/templates?channel=sms'))).json<TemplatePage>();
    expect(sms.items.map((i) => i.name)).toEqual(['Alpha news']);
    expect(sms.items[0]).not.toHaveProperty('text');
    const bad = await owner.request('GET', url('/templates?cursor=Zm9v'));
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a second template of the same name and channel (any case) with 409 CONFLICT', async () => {
    await created({ channel: 'sms', name: 'Reminder', text: 'x' });
    const again = await create({ channel: 'sms', name: 'reminder', text: 'y' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
    expect((await create({ channel: 'email', name: 'Reminder', subject: 's', html: 'h' })).statusCode).toBe(
      201,
    );
    const other = await created({ channel: 'sms', name: 'Other', text: 'z' });
    const rename = await owner.request('PATCH', url(`/templates/${other.id}`), { name: 'REMINDER' });
    expect(rename.statusCode).toBe(409);
  });

  it('answers 400 TEMPLATE_INVALID naming unknown fields, or the part and line of a syntax error', async () => {
    const unknown = await create({
      channel: 'email',
      name: 'Unknown',
      subject: '{{ first_name }} {{ vorname }}',
      html: '<p>{{ plan }} {{ tarif }} {{ vorname }}</p>',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'TEMPLATE_INVALID',
      details: { fields: ['tarif', 'vorname'] },
    });
    expect(unknown.json().error.message).toContain('tarif');

    const smsUnsub = await create({ channel: 'sms', name: 'U', text: 'Stop: {{ unsubscribe_url }}' });
    expect(smsUnsub.json().error).toMatchObject({
      code: 'TEMPLATE_INVALID',
      details: { fields: ['unsubscribe_url'] },
    });

    const syntax = await create({
      channel: 'email',
      name: 'Syntax',
      subject: 'ok',
      html: '<p>\n{% if plan %}\n<b>{{ plan }}</b>',
    });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().error).toMatchObject({
      code: 'TEMPLATE_INVALID',
      details: { part: 'html', line: 2 },
    });

    const subject = await create({ channel: 'email', name: 'S', subject: 'Hi {{ first_name ', html: 'x' });
    expect(subject.json().error.details).toMatchObject({ part: 'subject', line: 1 });
    const filter = await create({ channel: 'sms', name: 'F', text: '{{ first_name | shout }}' });
    expect(filter.json().error.details).toMatchObject({ part: 'text', message: 'undefined filter: shout' });

    const t = await created({ channel: 'sms', name: 'Fine', text: 'Hi' });
    const patch = await owner.request('PATCH', url(`/templates/${t.id}`), { text: 'Hi {{ nope }}' });
    expect(patch.json().error).toMatchObject({ code: 'TEMPLATE_INVALID', details: { fields: ['nope'] } });
    expect((await owner.request('GET', url(`/templates/${t.id}`))).json().text).toBe('Hi');
    for (const body of [{ text: '' }, { text: null }, { text: 'x'.repeat(1601) }, { html: '<p>x</p>' }]) {
      const res = await owner.request('PATCH', url(`/templates/${t.id}`), body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses file includes and code cleanly (400, not 500)', async () => {
    for (const html of ['{% include "../../etc/passwd" %}', '{% render "x" %}', '{% layout "x" %}']) {
      const res = await create({ channel: 'email', name: 'Inc', subject: 's', html });
      expect(res.statusCode, html).toBe(400);
      expect(res.json().error.code).toBe('TEMPLATE_INVALID');
      expect(res.json().error.details).toMatchObject({ part: 'html', line: 1 });
    }
    const loop = await create({
      channel: 'email',
      name: 'Loop',
      subject: 's',
      html: '{% for i in (1..100000000) %}{{ i }}{% endfor %}',
    });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().error.code).toBe('TEMPLATE_INVALID');
    const render = await owner.request('POST', url('/templates/preview'), {
      channel: 'email',
      subject: 's',
      html: '{% render "x" %}',
    });
    expect(render.statusCode).toBe(400);
    expect(render.json().error.code).toBe('TEMPLATE_INVALID');
    const raw = await owner.request('POST', url('/templates/preview'), {
      channel: 'email',
      subject: 's',
      html: '{{ first_name | raw }}',
    });
    expect(raw.statusCode).toBe(400);
  });

  it('previews for a contact: merged values escaped in HTML, defaults, generated text part', async () => {
    const t = await created({
      channel: 'email',
      name: 'Preview',
      subject: 'Hallo {{ first_name | default: "Kundin, Kunde" }}',
      html:
        '<p>Liebe(r) {{ first_name | default: "Kundin, Kunde" }}, Ihr Tarif {{ plan | default: "Basis" }} ' +
        'endet am {{ renewal | date: "%d.%m.%Y" }}.</p><p><a href="{{ unsubscribe_url }}">Abmelden</a></p>' +
        '<p>{{ account_name }}</p>',
    });
    const anna = await preview({ templateId: t.id, contactId: contacts.anna });
    expect(anna.subject).toBe('Hallo Anna');
    expect(anna.html).toContain('Liebe(r) Anna, Ihr Tarif Gold endet am 31.01.2027.');
    expect(anna.html).toContain(`<p>Client `);
    expect(anna.text).toContain('Liebe(r) Anna, Ihr Tarif Gold endet am 31.01.2027.');
    expect(anna.text).toMatch(/Abmelden \[http[^\]]*\/u\/preview\]/);
    expect(anna.sms).toBeNull();

    const script = await preview({ templateId: t.id, contactId: contacts.script });
    expect(script.html).toContain('Liebe(r) &lt;script&gt;alert(1)&lt;/script&gt;, Ihr Tarif Basis');
    expect(script.html).not.toContain('<script>');
    expect(script.subject).toBe('Hallo <script>alert(1)</script>');

    const nameless = await preview({ templateId: t.id, contactId: contacts.nameless });
    expect(nameless.subject).toBe('Hallo Kundin, Kunde');
    const nobody = await preview({ templateId: t.id });
    expect(nobody.html).toContain('Liebe(r) Kundin, Kunde, Ihr Tarif Basis');
  });

  it('previews unsaved SMS content with its size', async () => {
    const res = await preview({
      channel: 'sms',
      text: 'Hallo {{ first_name }} – 20 € Rabatt',
      contactId: contacts.anna,
    });
    expect(res.text).toBe('Hallo Anna – 20 € Rabatt');
    expect(res.sms).toEqual({ encoding: 'UCS-2', characters: 24, segments: 1, perSegment: 70 });
    const gsm = await preview({
      channel: 'sms',
      text: '{{ first_name }} 20 € Rabatt',
      contactId: contacts.anna,
    });
    expect(gsm.sms).toMatchObject({ encoding: 'GSM-7', characters: 17 });
    const missing = await owner.request('POST', url('/templates/preview'), {
      channel: 'email',
      subject: 'x',
    });
    expect(missing.statusCode).toBe(400);
  });

  it('counts, for a selection, the recipients lacking each used field', async () => {
    const res = await preview({
      channel: 'email',
      subject: '{{ first_name | default: "Hallo" }}',
      html: '<p>{{ last_name }} {{ plan }} {{ email }} {{ unsubscribe_url }} {{ account_name }}</p>',
      selection: { contactIds: [contacts.anna, contacts.script, contacts.nameless] },
    });
    expect(res.selection).toEqual({
      count: 3,
      missingFields: [
        { field: 'email', count: 1 },
        { field: 'first_name', count: 1 },
        { field: 'last_name', count: 2 },
        { field: 'plan', count: 2 },
      ],
    });
    const filtered = await preview({
      channel: 'sms',
      text: '{{ plan }} {{ first_name }}',
      selection: {
        filter: { op: 'and', conditions: [{ type: 'field', field: 'email', op: 'is_not_empty' }] },
        excludeIds: [contacts.anna],
      },
    });
    expect(filtered.selection).toEqual({
      count: 1,
      missingFields: [{ field: 'plan', count: 1 }],
    });
    const unknownId = await owner.request('POST', url('/templates/preview'), {
      channel: 'sms',
      text: 'x',
      selection: { contactIds: ['999999999'] },
    });
    expect(unknownId.statusCode).toBe(404);
  });

  it("keeps templates to their account: another account's template or contact is 404", async () => {
    const other = await createTenant(h.db.database.db);
    const theirOwner = await login(h.app, other.users.owner, TEST_PASSWORD);
    const theirs = await theirOwner.request('POST', `/api/accounts/${other.subId}/templates`, {
      channel: 'sms',
      name: 'Theirs',
      text: 'Hallo',
    });
    expect(theirs.statusCode).toBe(201);
    const id = theirs.json<MessageTemplate>().id;
    expect((await owner.request('GET', url(`/templates/${id}`))).statusCode).toBe(404);
    expect((await owner.request('PATCH', url(`/templates/${id}`), { name: 'Mine' })).statusCode).toBe(404);
    expect((await owner.request('DELETE', url(`/templates/${id}`))).statusCode).toBe(404);
    expect((await owner.request('POST', url('/templates/preview'), { templateId: id })).statusCode).toBe(404);
    const list = (await owner.request('GET', url('/templates?search=Theirs'))).json<TemplatePage>();
    expect(list.items).toEqual([]);
    const mine = await created({ channel: 'sms', name: 'Mine', text: 'Hi' });
    const foreignContact = await theirOwner.request('POST', `/api/accounts/${other.subId}/contacts`, {
      email: 'foreign@example.org',
    });
    const res = await owner.request('POST', url('/templates/preview'), {
      templateId: mine.id,
      contactId: foreignContact.json().id,
    });
    expect(res.statusCode).toBe(404);
    expect((await theirOwner.request('GET', url(`/templates/${mine.id}`))).statusCode).toBe(404);
  });

  it('lets viewers read and preview, and only messaging.send or mailings.manage edit', async () => {
    const t = await created({ channel: 'sms', name: 'Rights', text: 'Hi' });
    expect((await viewer.request('GET', url(`/templates/${t.id}`))).statusCode).toBe(200);
    expect((await analyst.request('POST', url('/templates/preview'), { templateId: t.id })).statusCode).toBe(
      200,
    );
    for (const client of [viewer, analyst]) {
      const res = await create({ channel: 'sms', name: 'Nope', text: 'x' }, client);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect((await client.request('PATCH', url(`/templates/${t.id}`), { name: 'x' })).statusCode).toBe(403);
      expect((await client.request('DELETE', url(`/templates/${t.id}`))).statusCode).toBe(403);
    }
    expect((await create({ channel: 'sms', name: 'Marketer', text: 'x' }, marketer)).statusCode).toBe(201);
    const fields = await viewer.request('GET', url('/merge-fields'));
    expect(fields.statusCode).toBe(200);
    expect(fields.json().items.map((f: { key: string }) => f.key)).toEqual([
      'first_name',
      'last_name',
      'email',
      'phone',
      'plan',
      'renewal',
      'unsubscribe_url',
      'account_name',
    ]);
  });

  it('refuses to delete a template an unfinished bulk action uses (409 IN_USE), not one a finished action used', async () => {
    const t = await created({ channel: 'email', name: 'In use', subject: 's', html: '<p>x</p>' });
    const action = async (status: string) => {
      await h.db.database.db.execute(
        sql`INSERT INTO bulk_actions (account_id, type, name, status, params, created_at, updated_at)
            VALUES (${Number(tenant.subId)}, 'bulk_email', 'Send', ${status}, ${JSON.stringify({ templateId: t.id })}::jsonb, now(), now())`,
      );
    };
    await action('completed');
    await action('paused');
    const res = await owner.request('DELETE', url(`/templates/${t.id}`));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'IN_USE',
      details: { counts: { bulkActions: 1 }, bulkActions: [{ name: 'Send', status: 'paused' }] },
    });
    await h.db.database.db.execute(
      sql`UPDATE bulk_actions SET status = 'cancelled' WHERE account_id = ${Number(tenant.subId)}`,
    );
    expect((await owner.request('DELETE', url(`/templates/${t.id}`))).statusCode).toBe(204);
  });
});
