import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';
import { seedContacts } from '../../seed/demo.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';

const ALL = { filter: { op: 'and', conditions: [] } };

describe(`bulk actions end to end (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;
  const count = async (query: ReturnType<typeof sql>) =>
    (await rows<{ n: number }>(h.db.database.db, query))[0]!.n;

  async function finished(id: string): Promise<BulkAction> {
    let action: BulkAction | undefined;
    await expect
      .poll(
        async () => {
          action = (await owner.request('GET', url(`/bulk-actions/${id}`))).json();
          return action!.status;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toMatch(/^(completed|cancelled|failed)$/);
    return action!;
  }

  beforeAll(async () => {
    h = await createHarness({ worker: true, env: { HERALD_BULK_CHUNK: '40' } });
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await seedContacts(h.db.database.db, Number(tenant.subId), 250);
  });
  afterAll(() => h.close());

  it('previews, then adds a tag to a frozen selection: contacts created afterwards are untouched', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'vip' })).json();
    const body = { type: 'add_tag', tagId: tag.id, selection: ALL };
    const preview = await owner.request('POST', url('/bulk-actions/preview'), body);
    expect(preview.json()).toEqual({ count: 250, name: "Add tag 'vip' to 250 contacts" });
    const one = await owner.request('POST', url('/bulk-actions/preview'), {
      ...body,
      selection: { contactIds: ['1'] },
    });
    expect(one.json().name).toBe("Add tag 'vip' to 1 contact");
    // Create answers at once, preparing, with the count the user confirmed; the worker freezes.
    const created = await owner.request('POST', url('/bulk-actions'), {
      ...body,
      expectedCount: preview.json().count,
    });
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json<BulkAction>();
    expect(action).toMatchObject({ type: 'add_tag', total: 250, name: "Add tag 'vip' to 250 contacts" });
    // A contact matching the same selection, created after the action: not part of it.
    const late = (await owner.request('POST', url('/contacts'), { email: 'late@example.com' })).json();
    const done = await finished(action.id);
    expect(done).toMatchObject({
      status: 'completed',
      processed: 250,
      succeeded: 250,
      failed: 0,
      skipped: 0,
    });
    expect((await owner.request('GET', url(`/contacts/${late.id}`))).json().tagIds).toEqual([]);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${Number(tag.id)}`),
    ).toBe(250);

    // Running it again skips everyone: the tag is already there.
    const again = await finished((await owner.request('POST', url('/bulk-actions'), body)).json().id);
    expect(again).toMatchObject({ total: 251, succeeded: 1, skipped: 250 });
    const stats = (await owner.request('GET', url(`/bulk-actions/${again.id}/stats`))).json();
    expect(stats).toMatchObject({ total: 251, processed: 251, succeeded: 1, skipped: 250, failed: 0 });
    expect(stats.reasons).toEqual([
      { outcome: 'skipped', reason: 'already_tagged', label: 'Already had the tag', count: 250 },
    ]);
  });

  it('removes a tag and undoes exactly what it changed', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'half' })).json();
    const some = (await owner.request('GET', url('/contacts?sort=id&dir=asc&limit=100')))
      .json()
      .items.map((c: { id: string }) => c.id);
    const first = await finished(
      (
        await owner.request('POST', url('/bulk-actions'), {
          type: 'add_tag',
          tagId: tag.id,
          selection: { contactIds: some.slice(0, 60) },
        })
      ).json().id,
    );
    expect(first.succeeded).toBe(60);
    const removal = await finished(
      (
        await owner.request('POST', url('/bulk-actions'), {
          type: 'remove_tag',
          tagId: tag.id,
          selection: { contactIds: some },
        })
      ).json().id,
    );
    expect(removal).toMatchObject({ succeeded: 60, skipped: 40 });
    expect(removal.controls).toContain('undo');
    const undo = await owner.request('POST', url(`/bulk-actions/${removal.id}/undo`));
    expect(undo.statusCode).toBe(201);
    const undone = await finished(undo.json().id);
    expect(undone).toMatchObject({ type: 'add_tag', total: 60, succeeded: 60, sourceActionId: removal.id });
    expect(undone.name).toMatch(/^Undo: Add tag 'half' to 60 contacts$/);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${Number(tag.id)}`),
    ).toBe(60);
  });

  it('deletes, restores with tags and lists, and reports email conflicts in the error log', async () => {
    const t = await createTenant(h.db.database.db);
    const c = await login(h.app, t.users.owner, TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}${p}`;
    const tag = (await c.request('POST', u('/tags'), { name: 'keep' })).json();
    const list = (await c.request('POST', u('/lists'), { name: 'News' })).json();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await c.request('POST', u('/contacts'), {
            email: `d${i}@example.com`,
            tagIds: [tag.id],
            listIds: [list.id],
          })
        ).json().id,
      );
    }
    const del = await c.request('POST', u('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { contactIds: ids },
    });
    const deleted = await (async () => {
      let a: BulkAction | undefined;
      await expect
        .poll(
          async () =>
            (a = (await c.request('GET', u(`/bulk-actions/${del.json().id}`))).json<BulkAction>()).status,
          {
            timeout: 30_000,
          },
        )
        .toBe('completed');
      return a!;
    })();
    expect(deleted.succeeded).toBe(5);
    expect(deleted.controls).toContain('restore');
    expect(Date.parse(deleted.restorableUntil!) - h.clock.now().getTime()).toBeGreaterThan(59 * 86_400_000);
    expect((await c.request('GET', u(`/contacts/${ids[0]}`))).statusCode).toBe(404);

    // Someone takes one of the emails meanwhile.
    await c.request('POST', u('/contacts'), { email: 'D2@example.com' });
    const preview = (await c.request('GET', u(`/bulk-actions/${deleted.id}/restore-preview`))).json();
    expect(preview).toEqual({ count: 5, restorableUntil: deleted.restorableUntil });
    // A long custom name makes the restore's generated name longer than a notification allows.
    const longName = `Spring clean-up ${'x'.repeat(284)}`;
    expect((await c.request('PATCH', u(`/bulk-actions/${deleted.id}`), { name: longName })).statusCode).toBe(
      200,
    );
    const restore = await c.request('POST', u(`/bulk-actions/${deleted.id}/restore`));
    expect(restore.statusCode).toBe(201);
    let restored: BulkAction | undefined;
    await expect
      .poll(
        async () =>
          (restored = (await c.request('GET', u(`/bulk-actions/${restore.json().id}`))).json<BulkAction>())
            .status,
        { timeout: 30_000 },
      )
      .toBe('completed');
    expect(restored).toMatchObject({
      type: 'restore_contacts',
      total: 5,
      succeeded: 4,
      failed: 1,
      sourceActionId: deleted.id,
    });
    const back = (await c.request('GET', u(`/contacts/${ids[0]}`))).json();
    expect(back).toMatchObject({ tagIds: [tag.id], listIds: [list.id] });
    const csv = (await c.request('GET', u(`/bulk-actions/${restored!.id}/errors.csv`))).body;
    expect(csv.trim().split('\n')).toEqual([
      'Contact ID,Email or phone,Outcome,Reason,Details,Reason code',
      `${ids[2]},d2@example.com,Failed,Another contact uses this email address by now,,email_in_use`,
    ]);
    const audit = (await c.request('GET', u(`/bulk-actions/${deleted.id}/audit`))).json().items;
    expect(audit.map((e: { event: string }) => e.event)).toEqual([
      'created',
      'prepared',
      'started',
      'completed',
      'renamed',
      'restore_queued',
    ]);
    expect(audit[0].user.id).toBe(c.userId);
    expect(audit[1].user).toBeNull(); // the engine's own steps have no user

    // The restore ended with a failure: the account's notification holders are told, with a link.
    const notes = (await c.request('GET', u('/notifications?type=bulk_action.finished_with_errors'))).json();
    expect(notes.items).toHaveLength(1);
    expect(notes.items[0]).toMatchObject({
      severity: 'warning',
      params: {
        action: { id: restored!.id, name: restored!.name.slice(0, 300) },
        total: 5,
        succeeded: 4,
        failed: 1,
      },
      path: `/accounts/${t.subId}/bulk-actions/${restored!.id}`,
    });
  });

  it('cancels: nothing is processed after the cancel is acknowledged, processed items stay', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'cancel-me' })).json();
    // Schedule it a minute ahead so it is still queued when we cancel part way.
    const created = (
      await owner.request('POST', url('/bulk-actions'), { type: 'add_tag', tagId: tag.id, selection: ALL })
    ).json();
    const cancelled = await owner.request('POST', url(`/bulk-actions/${created.id}/cancel`));
    expect(cancelled.statusCode).toBe(200);
    const atCancel = cancelled.json<BulkAction>();
    expect(atCancel.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1500));
    const later = (await owner.request('GET', url(`/bulk-actions/${created.id}`))).json();
    expect(later.processed).toBe(atCancel.processed);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${Number(tag.id)}`),
    ).toBe(atCancel.succeeded);
    const again = await owner.request('POST', url(`/bulk-actions/${created.id}/cancel`));
    expect(again.statusCode).toBe(409);
  });

  it('refuses controls a type does not offer, and actions without the rights', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'no-pause' })).json();
    const created = (
      await owner.request('POST', url('/bulk-actions'), {
        type: 'add_tag',
        tagId: tag.id,
        selection: { contactIds: ['1'] },
      })
    ).json();
    const pause = await owner.request('POST', url(`/bulk-actions/${created.id}/pause`));
    expect(pause.statusCode).toBe(409);
    const marketer = await login(h.app, tenant.users.marketer, TEST_PASSWORD);
    const del = await marketer.request('POST', url('/bulk-actions'), {
      type: 'delete_contacts',
      selection: ALL,
    });
    expect(del.statusCode).toBe(403);
    const noTag = await owner.request('POST', url('/bulk-actions'), { type: 'add_tag', selection: ALL });
    expect(noTag.statusCode).toBe(400);
    const analyst = await login(h.app, tenant.users.analyst, TEST_PASSWORD);
    // Rights before state: the analyst lacks contacts.bulk, so 403 whatever the action's state.
    expect((await analyst.request('POST', url(`/bulk-actions/${created.id}/cancel`))).statusCode).toBe(403);
  });

  it('lists with filters and keyset pages', async () => {
    const all = (await owner.request('GET', url('/bulk-actions?limit=100'))).json().items as BulkAction[];
    expect(all.length).toBeGreaterThan(3);
    const tagOnly = (await owner.request('GET', url('/bulk-actions?type=remove_tag'))).json()
      .items as BulkAction[];
    expect(tagOnly.every((a) => a.type === 'remove_tag')).toBe(true);
    const multi = (
      await owner.request('GET', url('/bulk-actions?status=cancelled&status=completed&limit=100'))
    ).json().items as BulkAction[];
    expect(multi.length).toBe(all.filter((a) => a.status === 'cancelled' || a.status === 'completed').length);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: BulkAction[]; nextCursor: string | null } = (
        await owner.request('GET', url(`/bulk-actions?limit=2${cursor ? `&cursor=${cursor}` : ''}`))
      ).json();
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((a) => a.id));
    const byUser = (
      await owner.request('GET', url(`/bulk-actions?createdBy=${owner.userId}&limit=100`))
    ).json().items;
    expect(byUser.length).toBe(all.length);
  });
  // Last: it moves the clock by two months.
  it('purges at day 61: the data is gone and restore is refused with a clear error', async () => {
    const t = await createTenant(h.db.database.db);
    const c = await login(h.app, t.users.owner, TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}${p}`;
    const id = (await c.request('POST', u('/contacts'), { email: 'gone@example.com' })).json().id;
    const del = (
      await c.request('POST', u('/bulk-actions'), {
        type: 'delete_contacts',
        selection: { contactIds: [id] },
      })
    ).json();
    await expect
      .poll(async () => (await c.request('GET', u(`/bulk-actions/${del.id}`))).json().status, {
        timeout: 30_000,
      })
      .toBe('completed');
    h.clock.advance(59 * 86_400_000);
    expect(await h.services.bulkPurge()).toBe(0);
    h.clock.advance(2 * 86_400_000);
    // This contact, and the one an earlier test could not restore: both past their window now.
    expect(await h.services.bulkPurge()).toBe(2);
    expect(await count(sql`SELECT count(*)::int AS n FROM contacts WHERE id = ${Number(id)}`)).toBe(0);
    const c2 = await login(h.app, t.users.owner, TEST_PASSWORD); // the old session idled out
    const after = (await c2.request('GET', u(`/bulk-actions/${del.id}`))).json();
    expect(after.controls).not.toContain('restore');
    expect(after.purgedAt).not.toBeNull();
    const refused = await c2.request('POST', u(`/bulk-actions/${del.id}/restore`));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/restore window ended/);
  });
});
