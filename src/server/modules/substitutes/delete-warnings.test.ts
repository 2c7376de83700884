// Deleting an element that serves as a substitute: 409 SUBSTITUTE_IN_USE with the usage and nothing
// deleted, unless ?confirm=true, which deletes the element and its substitute rows together. An
// element that others' substitutes point to as their source takes those rows with it, unasked.
// For all five kinds: templates, mailings, subscriber lists, SmartLists, sender profiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { mailingKit } from '../../../../test/helpers/mailings.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { rows } from '../../db/types.ts';
import type { ElementKind } from '../../../shared/distribution.ts';

describe(`delete warnings of substitutes (${ENGINE})`, () => {
  let h: TestHarness;
  let t: Tenant;
  let owner: Client;
  const kit = mailingKit(() => h);
  const db = () => h.db.database.db;
  let agency: number;
  let sub: number;
  let n = 0;

  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(db());
    owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    agency = Number(t.agencyId);
    sub = Number(t.subId);
  });
  afterAll(() => h.close());

  /** Creates one element of `kind` in `accountId`; answers its id and the path of its DELETE. */
  async function element(kind: ElementKind, accountId: number): Promise<{ id: number; path: string }> {
    const base = `/api/accounts/${accountId}`;
    const post = async (path: string, body: object) => {
      const res = await owner.request('POST', `${base}${path}`, body);
      expect(res.statusCode, res.body).toBe(201);
      return Number(res.json<{ id: string }>().id);
    };
    switch (kind) {
      case 'email_template': {
        const id = await post('/templates', {
          channel: 'email',
          name: `E ${++n}`,
          subject: 'S',
          html: '<p>x</p>',
        });
        return { id, path: `${base}/templates/${id}` };
      }
      case 'sms_template': {
        const id = await post('/templates', { channel: 'sms', name: `S ${++n}`, text: 'x' });
        return { id, path: `${base}/templates/${id}` };
      }
      case 'mailing': {
        const id = await post('/mailings', { name: `M ${++n}`, subject: 'S', html: '<p>x</p>' });
        return { id, path: `${base}/mailings/${id}` };
      }
      case 'subscriber_list': {
        const id = await kit.list(accountId, []);
        return { id, path: `${base}/lists/${id}` };
      }
      case 'target_group': {
        const id = await kit.targetGroup(accountId, `g${++n}`);
        return { id, path: `${base}/smart-lists/${id}` };
      }
      case 'sender_profile': {
        const id = await kit.senderProfile(accountId, false);
        return { id, path: `${base}/sender-profiles/${id}` };
      }
    }
  }

  const rowsFor = async (kind: ElementKind, column: 'source_id' | 'substitute_id', id: number) =>
    Number(
      (
        await rows<{ n: number }>(
          db(),
          sql`SELECT count(*)::int AS n FROM substitutes WHERE kind = ${kind} AND ${sql.raw(column)} = ${id}`,
        )
      )[0]!.n,
    );

  const TABLE: Record<ElementKind, string> = {
    email_template: 'message_templates',
    sms_template: 'message_templates',
    mailing: 'mailings',
    subscriber_list: 'subscriber_lists',
    target_group: 'smart_lists',
    sender_profile: 'sender_profiles',
  };
  const exists = async (kind: ElementKind, id: number) =>
    (await rows(db(), sql`SELECT 1 FROM ${sql.raw(TABLE[kind])} WHERE id = ${id}`)).length === 1;

  async function register(kind: ElementKind) {
    const source = await element(kind, agency);
    const local = await element(kind, sub);
    const res = await owner.request('PUT', `/api/accounts/${agency}/substitutes`, {
      targetAccountId: String(sub),
      kind,
      sourceId: String(source.id),
      substituteId: String(local.id),
    });
    expect(res.statusCode, res.body).toBe(200);
    return { source, local };
  }

  const KINDS: ElementKind[] = [
    'email_template',
    'sms_template',
    'mailing',
    'subscriber_list',
    'target_group',
    'sender_profile',
  ];

  for (const kind of KINDS) {
    it(`${kind}: warns with the usage, deletes with confirm together with its substitute rows`, async () => {
      const { local } = await register(kind);
      const refused = await owner.request('DELETE', local.path);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({
        error: {
          code: 'SUBSTITUTE_IN_USE',
          details: {
            usage: [{ sourceAccount: { id: String(agency), name: expect.stringContaining('Agency') }, kind }],
          },
        },
      });
      // Nothing went: the element and its row are still there.
      expect(await exists(kind, local.id)).toBe(true);
      expect(await rowsFor(kind, 'substitute_id', local.id)).toBe(1);

      const deleted = await owner.request('DELETE', `${local.path}?confirm=true`);
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect(await exists(kind, local.id)).toBe(false);
      expect(await rowsFor(kind, 'substitute_id', local.id)).toBe(0);
    });

    it(`${kind}: deleting the source element removes the substitutes pointing to it, without a warning`, async () => {
      const { source, local } = await register(kind);
      expect(await rowsFor(kind, 'source_id', source.id)).toBe(1);
      const deleted = await owner.request('DELETE', source.path);
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect(await rowsFor(kind, 'source_id', source.id)).toBe(0);
      expect(await exists(kind, source.id)).toBe(false);
      // The target's element itself stays, and deletes without a warning now.
      expect((await owner.request('DELETE', local.path)).statusCode).toBe(204);
    });
  }

  it('an element that serves as no substitute deletes as before; an unknown one is 404', async () => {
    const plain = await element('subscriber_list', sub);
    expect((await owner.request('DELETE', plain.path)).statusCode).toBe(204);
    expect((await owner.request('DELETE', plain.path)).statusCode).toBe(404);
    const profile = await element('sender_profile', sub);
    expect((await owner.request('DELETE', profile.path)).statusCode).toBe(204);
    expect((await owner.request('DELETE', profile.path)).statusCode).toBe(404);
  });

  it('a list used by a SmartList warns IN_USE first, naming its substitute use too; confirm passes both', async () => {
    const { local } = await register('subscriber_list');
    const filter = { op: 'and', conditions: [{ type: 'list', op: 'member', listId: String(local.id) }] };
    const smart = await owner.request('POST', `/api/accounts/${sub}/smart-lists`, {
      name: `Uses ${++n}`,
      filter,
    });
    expect(smart.statusCode, smart.body).toBe(201);
    const refused = await owner.request('DELETE', local.path);
    expect(refused.statusCode).toBe(409);
    // The one warning names the substitute use too: the single confirm covers what was shown.
    expect(refused.json()).toMatchObject({
      error: {
        code: 'IN_USE',
        details: {
          counts: { smartLists: 1 },
          substituteUsage: [{ sourceAccount: { id: String(agency) }, kind: 'subscriber_list' }],
        },
      },
    });
    expect((await owner.request('DELETE', `${local.path}?confirm=true`)).statusCode).toBe(204);
    expect(await rowsFor('subscriber_list', 'substitute_id', local.id)).toBe(0);
  });

  it('a template an unfinished bulk action uses warns IN_USE naming its substitute use too', async () => {
    const { local } = await register('email_template');
    await db().execute(
      sql`INSERT INTO bulk_actions (account_id, type, name, status, params, created_at, updated_at)
          VALUES (${sub}, 'bulk_email', 'Send', 'paused', ${JSON.stringify({ templateId: String(local.id) })}::jsonb, now(), now())`,
    );
    const refused = await owner.request('DELETE', `${local.path}?confirm=true`);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'IN_USE',
        details: {
          counts: { bulkActions: 1 },
          substituteUsage: [{ sourceAccount: { id: String(agency) }, kind: 'email_template' }],
        },
      },
    });
    expect(await exists('email_template', local.id)).toBe(true);
  });
});
