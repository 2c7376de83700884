// Issue 9: every bulk action is checked against the asking user's current rights for the change
// it makes (also undo, retry and restore), missing rights answer 403 before any state check, ids
// of another account are refused, and acting twice (in parallel, or with an Idempotency-Key) does
// the work once. No worker runs here: the test runs each action itself, so nothing finishes early.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { seedContacts } from '../../seed/demo.ts';
import { upsertMembership } from '../users/users.repo.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';

const ALL = { filter: { op: 'and', conditions: [] } };

describe(`bulk action rights and acting twice (${ENGINE})`, () => {
  let h: TestHarness;
  const n = async (query: ReturnType<typeof sql>) =>
    (await rows<{ n: number }>(h.db.database.db, query))[0]!.n;

  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A fresh tenant with `contacts` seeded contacts and a client per role asked for. */
  async function setUp<R extends keyof Tenant['users']>(contacts: number, roles: R[]) {
    const t = await createTenant(h.db.database.db);
    if (contacts) await seedContacts(h.db.database.db, Number(t.subId), contacts);
    const clients = {} as Record<R, Client>;
    for (const role of roles) clients[role] = await login(h.app, t.users[role], TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}${p}`;
    const ids = (
      await rows<{ id: string }>(
        h.db.database.db,
        sql`SELECT id::text AS id FROM contacts WHERE account_id = ${Number(t.subId)} ORDER BY id`,
      )
    ).map((r) => r.id);
    return { t, c: clients, u, ids };
  }

  /** Runs an action to its end in this process (as the worker would) and reads it back. */
  async function run(client: Client, u: (p: string) => string, id: string): Promise<BulkAction> {
    await h.services.bulkRunner.run(Number(id));
    return (await client.request('GET', u(`/bulk-actions/${id}`))).json<BulkAction>();
  }

  async function start(client: Client, u: (p: string) => string, body: object): Promise<BulkAction> {
    const res = await client.request('POST', u('/bulk-actions'), body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<BulkAction>();
  }

  /** A delete of `ids` whose restore fails for one contact (its email is taken meanwhile). */
  async function deleteThenFailedRestore(client: Client, u: (p: string) => string) {
    const a = (await client.request('POST', u('/contacts'), { email: 'a@restore.test' })).json().id;
    const b = (await client.request('POST', u('/contacts'), { email: 'b@restore.test' })).json().id;
    const del = await run(
      client,
      u,
      (await start(client, u, { type: 'delete_contacts', selection: { contactIds: [a, b] } })).id,
    );
    expect(del).toMatchObject({ status: 'completed', succeeded: 2 });
    await client.request('POST', u('/contacts'), { email: 'b@restore.test' });
    const restore = await client.request('POST', u(`/bulk-actions/${del.id}/restore`));
    expect(restore.statusCode, restore.body).toBe(201);
    const restored = await run(client, u, restore.json<BulkAction>().id);
    expect(restored).toMatchObject({ status: 'completed', succeeded: 1, failed: 1 });
    return { del, restored, a, b };
  }

  it('undo needs the right of the change it makes: a marketer made viewer cannot undo their add-tag', async () => {
    const { t, c, u, ids } = await setUp(5, ['owner', 'marketer']);
    const tag = (await c.owner.request('POST', u('/tags'), { name: 'vip' })).json();
    const added = await run(
      c.marketer,
      u,
      (await start(c.marketer, u, { type: 'add_tag', tagId: tag.id, selection: { contactIds: ids } })).id,
    );
    expect(added).toMatchObject({ status: 'completed', succeeded: 5 });
    expect(added.controls).toContain('undo');

    await upsertMembership(
      h.db.database.db,
      asAccountId(Number(t.agencyId)),
      Number(c.marketer.userId),
      'viewer',
      true,
    );
    const asViewer = (await c.marketer.request('GET', u(`/bulk-actions/${added.id}`))).json<BulkAction>();
    expect(asViewer.controls).toEqual([]);
    const undo = await c.marketer.request('POST', u(`/bulk-actions/${added.id}/undo`));
    expect(undo.statusCode, undo.body).toBe(403);
    expect(undo.json().error).toMatchObject({ code: 'FORBIDDEN', details: { right: 'contacts.bulk' } });
    expect(
      await n(sql`SELECT count(*)::int AS n FROM bulk_actions WHERE source_action_id = ${Number(added.id)}`),
    ).toBe(0);
    expect(await n(sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${Number(tag.id)}`)).toBe(
      5,
    );
  });

  it('retry of a failed restore needs contacts.restore: a marketer is refused, the owner gets a well-named retry', async () => {
    const { c, u } = await setUp(0, ['owner', 'marketer']);
    const { del, restored, b } = await deleteThenFailedRestore(c.owner, u);
    const asMarketer = (
      await c.marketer.request('GET', u(`/bulk-actions/${restored.id}`))
    ).json<BulkAction>();
    expect(asMarketer.controls).not.toContain('retry_failed');
    const refused = await c.marketer.request('POST', u(`/bulk-actions/${restored.id}/retry-failed`));
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'FORBIDDEN', details: { right: 'contacts.restore' } });
    expect(
      await n(
        sql`SELECT count(*)::int AS n FROM bulk_actions WHERE source_action_id = ${Number(restored.id)}`,
      ),
    ).toBe(0);
    expect((await c.owner.request('GET', u(`/contacts/${b}`))).statusCode).toBe(404);

    // The owner may, and the retry's generated name names the delete job, never 'undefined'.
    expect(restored.name).toBe(`Restore 2 contacts ('${del.name}')`);
    const retry = await c.owner.request('POST', u(`/bulk-actions/${restored.id}/retry-failed`));
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json<BulkAction>()).toMatchObject({
      type: 'restore_contacts',
      total: 1,
      name: `Retry: Restore 1 contact ('${del.name}')`,
      sourceActionId: restored.id,
    });
  });

  it('answers 403 FORBIDDEN, revealing no state, to analysts and viewers for every control in every state', async () => {
    const { c, u, ids } = await setUp(6, ['owner', 'analyst', 'viewer']);
    const tag = (await c.owner.request('POST', u('/tags'), { name: 'matrix' })).json();
    const completedTag = await run(
      c.owner,
      u,
      (
        await start(c.owner, u, {
          type: 'add_tag',
          tagId: tag.id,
          selection: { contactIds: ids.slice(0, 2) },
        })
      ).id,
    );
    const scheduled = await start(c.owner, u, {
      type: 'add_tag',
      tagId: tag.id,
      selection: { contactIds: ids.slice(2, 4) },
      scheduledFor: new Date(h.clock.now().getTime() + 86_400_000).toISOString(),
    });
    const deleted = await run(
      c.owner,
      u,
      (await start(c.owner, u, { type: 'delete_contacts', selection: { contactIds: ids.slice(4, 6) } })).id,
    );
    const { restored } = await deleteThenFailedRestore(c.owner, u);
    const cancelled = (
      await c.owner.request('POST', u(`/bulk-actions/${scheduled.id}/cancel`))
    ).json<BulkAction>();
    const queued = await start(c.owner, u, {
      type: 'add_tag',
      tagId: tag.id,
      selection: { contactIds: ids.slice(0, 1) },
    });
    expect(cancelled.status).toBe('cancelled');
    const actions = [completedTag, deleted, restored, cancelled, queued];
    const controls: [string, string, object | undefined][] = [
      ['POST', 'cancel', undefined],
      ['POST', 'undo', undefined],
      ['POST', 'retry-failed', undefined],
      ['POST', 'pause', undefined],
      ['POST', 'resume', undefined],
      ['POST', 'restore', undefined],
      ['POST', 'schedule', { scheduledFor: '2027-01-01T10:00:00Z' }],
      ['PATCH', '', { name: 'renamed' }],
    ];
    for (const role of ['analyst', 'viewer'] as const) {
      for (const action of actions) {
        for (const [method, path, body] of controls) {
          const res = await c[role].request(
            method as 'POST' | 'PATCH',
            u(`/bulk-actions/${action.id}${path ? `/${path}` : ''}`),
            body,
          );
          const where = `${role} ${method} ${path || 'rename'} on ${action.type} ${action.status}`;
          expect(res.statusCode, `${where}: ${res.body}`).toBe(403);
          const error = res.json().error;
          expect(error.code, where).toBe('FORBIDDEN');
          expect(JSON.stringify(error), where).not.toMatch(/status|completed|cancelled|queued/);
        }
      }
    }
    // Nothing changed, nothing was created.
    const after = (await c.owner.request('GET', u('/bulk-actions?limit=100'))).json().items as BulkAction[];
    expect(after.length).toBe(6);
    // Created without a worker: still preparing (its selection not frozen yet), and unchanged.
    expect(after.find((a) => a.id === queued.id)).toMatchObject({ status: 'preparing', name: queued.name });
    // Only a caller who holds the right learns the state: 409 with it in the details.
    const conflict = await c.owner.request('POST', u(`/bulk-actions/${completedTag.id}/cancel`));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error).toMatchObject({
      code: 'CONFLICT',
      details: { control: 'cancel', status: 'completed' },
    });
  });

  it('refuses ids of another account in every body, naming them, and creates nothing', async () => {
    const t = await createTenant(h.db.database.db);
    await seedContacts(h.db.database.db, Number(t.agencyId), 3);
    await seedContacts(h.db.database.db, Number(t.subId), 3);
    const admin = await login(h.app, t.users.admin, TEST_PASSWORD);
    const idsOf = async (account: string) =>
      (
        await rows<{ id: string }>(
          h.db.database.db,
          sql`SELECT id::text AS id FROM contacts WHERE account_id = ${Number(account)} ORDER BY id`,
        )
      ).map((r) => r.id);
    const own = await idsOf(t.agencyId);
    const foreign = await idsOf(t.subId);
    const agency = (p: string) => `/api/accounts/${t.agencyId}${p}`;
    const sub = (p: string) => `/api/accounts/${t.subId}${p}`;
    const actionsIn = (account: string) =>
      n(sql`SELECT count(*)::int AS n FROM bulk_actions WHERE account_id = ${Number(account)}`);

    // The issue's example: a delete in account 1 with contact ids of account 2.
    const del = await admin.request('POST', agency('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { contactIds: [own[0], ...foreign.slice(0, 2)] },
    });
    expect(del.statusCode, del.body).toBe(404);
    expect(del.json().error).toMatchObject({ code: 'NOT_FOUND', details: { ids: foreign.slice(0, 2) } });
    expect(
      (
        await admin.request('POST', agency('/bulk-actions/preview'), {
          type: 'delete_contacts',
          selection: { contactIds: foreign },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await admin.request('POST', agency('/selections/preview'), { selection: { contactIds: foreign } }))
        .statusCode,
    ).toBe(404);

    // A tag of the other account, and a SmartList of the other account.
    const foreignTag = (await admin.request('POST', sub('/tags'), { name: 'theirs' })).json();
    const tagged = await admin.request('POST', agency('/bulk-actions'), {
      type: 'add_tag',
      tagId: foreignTag.id,
      selection: { contactIds: own },
    });
    expect(tagged.statusCode, tagged.body).toBe(400);
    expect(tagged.json().error.details.fields).toEqual([{ field: 'tagId', message: 'unknown tag' }]);
    const foreignList = (
      await admin.request('POST', sub('/smart-lists'), { name: 'theirs', filter: ALL.filter })
    ).json();
    const byList = await admin.request('POST', agency('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { smartListId: foreignList.id },
    });
    expect(byList.statusCode, byList.body).toBe(404);
    const byFilter = await admin.request('POST', agency('/bulk-actions'), {
      type: 'delete_contacts',
      selection: {
        filter: { op: 'and', conditions: [{ type: 'tag', op: 'has', tagId: foreignTag.id }] },
      },
    });
    expect(byFilter.statusCode, byFilter.body).toBe(400);
    expect(await actionsIn(t.agencyId)).toBe(0);
    expect(
      await n(
        sql`SELECT count(*)::int AS n FROM contacts WHERE account_id IN (${Number(t.agencyId)}, ${Number(t.subId)}) AND deleted_at IS NOT NULL`,
      ),
    ).toBe(0);

    // Exclusions of foreign ids exclude nothing: ignored (documented), the action covers its own contacts.
    const ok = await admin.request('POST', agency('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { contactIds: own, excludeIds: foreign },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    await h.services.bulkRunner.prepare(Number(ok.json<BulkAction>().id));
    expect(
      (await admin.request('GET', agency(`/bulk-actions/${ok.json<BulkAction>().id}`))).json().total,
    ).toBe(3);
  });

  it('allows one restore, undo and retry in flight per source: 5 parallel requests create exactly 1', async () => {
    const { c, u, ids } = await setUp(8, ['owner']);
    const tag = (await c.owner.request('POST', u('/tags'), { name: 'twice' })).json();
    const parallel = async (path: string) => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => c.owner.request('POST', u(path))));
      const created = answers.filter((r) => r.statusCode === 201);
      const refused = answers.filter((r) => r.statusCode === 409);
      expect(created.map((r) => r.body)).toHaveLength(1);
      expect(refused).toHaveLength(4);
      const first = created[0]!.json<BulkAction>();
      for (const r of refused) {
        expect(r.json().error).toMatchObject({ code: 'CONFLICT', details: { actionId: first.id } });
      }
      return first;
    };

    // undo
    const added = await run(
      c.owner,
      u,
      (
        await start(c.owner, u, {
          type: 'add_tag',
          tagId: tag.id,
          selection: { contactIds: ids.slice(0, 4) },
        })
      ).id,
    );
    const undo = await parallel(`/bulk-actions/${added.id}/undo`);
    expect(undo).toMatchObject({ type: 'remove_tag', status: 'preparing', sourceActionId: added.id });

    // retry failed: a contact deleted between freezing and running fails
    const pending = await start(c.owner, u, {
      type: 'add_tag',
      tagId: tag.id,
      selection: { contactIds: ids.slice(4, 6) },
    });
    await h.services.bulkRunner.prepare(Number(pending.id));
    expect((await c.owner.request('DELETE', u(`/contacts/${ids[4]}`))).statusCode).toBe(204);
    const partly = await run(c.owner, u, pending.id);
    expect(partly).toMatchObject({ succeeded: 1, failed: 1 });
    const retry = await parallel(`/bulk-actions/${partly.id}/retry-failed`);
    expect(retry).toMatchObject({ type: 'add_tag', total: 1, sourceActionId: partly.id });

    // restore
    const del = await run(
      c.owner,
      u,
      (await start(c.owner, u, { type: 'delete_contacts', selection: { contactIds: ids.slice(6, 8) } })).id,
    );
    const restore = await parallel(`/bulk-actions/${del.id}/restore`);
    expect(
      await n(
        sql`SELECT count(*)::int AS n FROM bulk_actions WHERE source_action_id = ${Number(del.id)} AND type = 'restore_contacts'`,
      ),
    ).toBe(1);

    // Once the first is no longer in flight, another may start.
    expect((await c.owner.request('POST', u(`/bulk-actions/${restore.id}/cancel`))).statusCode).toBe(200);
    expect((await c.owner.request('POST', u(`/bulk-actions/${del.id}/restore`))).statusCode).toBe(201);
    // An undo and a retry of one source are different things: both may be in flight.
    expect(undo.status).toBe('preparing');
  });

  it('answers a repeated Idempotency-Key with the first answer, and refuses it for another request', async () => {
    const { t, c, u, ids } = await setUp(4, ['owner', 'admin']);
    const tag = (await c.owner.request('POST', u('/tags'), { name: 'once' })).json();
    const body = { type: 'add_tag', tagId: tag.id, selection: { contactIds: ids } };
    const post = (client: Client, path: string, key: string, payload?: object) =>
      client.request('POST', u(path), payload, { 'idempotency-key': key });
    const actionCount = () =>
      n(sql`SELECT count(*)::int AS n FROM bulk_actions WHERE account_id = ${Number(t.subId)}`);

    const first = await post(c.owner, '/bulk-actions', 'key-1', body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    // The action moves on; the repeat still answers exactly what the first answer said.
    await h.services.bulkRunner.run(Number(first.json().id));
    const again = await post(c.owner, '/bulk-actions', 'key-1', { ...body, selection: { contactIds: ids } });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await actionCount()).toBe(1);

    const other = await post(c.owner, '/bulk-actions', 'key-1', { ...body, name: 'another' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'idempotency_key_reused' },
    });
    // Keys belong to one user: the same key from someone else is their own first request.
    const admins = await post(c.admin, '/bulk-actions', 'key-1', body);
    expect(admins.statusCode).toBe(201);
    expect(admins.json().id).not.toBe(first.json().id);
    expect(await actionCount()).toBe(2);

    // Parallel requests with one key create one action and all get its answer.
    const parallel = await Promise.all(
      Array.from({ length: 5 }, () => post(c.owner, '/bulk-actions', 'key-2', body)),
    );
    expect(parallel.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(parallel.map((r) => r.json().id)).size).toBe(1);
    expect(await actionCount()).toBe(3);

    // Derived actions too: a repeated undo with its key answers the first undo, not 409 "in flight".
    const undo1 = await post(c.owner, `/bulk-actions/${first.json().id}/undo`, 'undo-1');
    expect(undo1.statusCode, undo1.body).toBe(201);
    const undo2 = await post(c.owner, `/bulk-actions/${first.json().id}/undo`, 'undo-1');
    expect(undo2.statusCode).toBe(201);
    expect(undo2.json()).toEqual(undo1.json());
    // The same key on another source is another request.
    expect((await post(c.owner, `/bulk-actions/${admins.json().id}/undo`, 'undo-1')).statusCode).toBe(409);
    // A refused request leaves its key free: fixed, it may be sent again with the same key.
    const bad = await post(c.owner, '/bulk-actions', 'key-3', {
      ...body,
      selection: { contactIds: ['999999999'] },
    });
    expect(bad.statusCode).toBe(404);
    expect((await post(c.owner, '/bulk-actions', 'key-3', body)).statusCode).toBe(201);
    // Keys are printable ASCII.
    expect((await post(c.owner, '/bulk-actions', 'with space', body)).statusCode).toBe(400);
    expect(await actionCount()).toBe(5);

    // After 24 hours a key is forgotten: the daily purge removes it and it starts a new action.
    h.clock.advance(25 * 3_600_000);
    expect(await n(sql`SELECT count(*)::int AS n FROM bulk_idempotency_keys`)).toBeGreaterThan(0);
    await h.services.bulkPurge();
    expect(await n(sql`SELECT count(*)::int AS n FROM bulk_idempotency_keys`)).toBe(0);
    const owner2 = await login(h.app, t.users.owner, TEST_PASSWORD); // the old session idled out
    const later = await post(owner2, '/bulk-actions', 'key-1', body);
    expect(later.statusCode).toBe(201);
    expect(later.json().id).not.toBe(first.json().id);
  });
});
