import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { rows } from '../../db/types.ts';
import { renderNotification } from '../../../shared/notification-texts.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';

// Issue 9 §6: deleting a tag, list or custom field that SmartLists or waiting actions use.
describe(`references stay valid (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    for (const [email, shoe] of [
      ['a@example.com', 44],
      ['b@example.com', 38],
      ['c@other.example', 45],
    ] as const) {
      await owner.request('POST', url('/custom-fields'), {
        key: 'shoe_size',
        label: 'Shoe size',
        type: 'number',
      });
      const res = await owner.request('POST', url('/contacts'), { email, customFields: { shoe_size: shoe } });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => h.close());

  const smartList = async (name: string, conditions: object[], op = 'and') => {
    const res = await owner.request('POST', url('/smart-lists'), { name, filter: { op, conditions } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; name: string }>();
  };

  it('a custom field used by a SmartList: the delete reports it, and after confirming the SmartList works with a note', async () => {
    const fields = (await owner.request('GET', url('/custom-fields'))).json<{
      items: { id: string; key: string }[];
    }>();
    const field = fields.items.find((f) => f.key === 'shoe_size')!;
    const big = await smartList('Big feet at example.com', [
      { type: 'field', field: 'custom.shoe_size', op: 'greater_than', value: 40 },
      { type: 'email_domain', op: 'equals', value: 'example.com' },
    ]);
    expect((await owner.request('GET', url(`/smart-lists/${big.id}/count`))).json()).toEqual({ count: 1 });

    const usage = await owner.request('GET', url(`/custom-fields/${field.id}/usage`));
    expect(usage.json()).toEqual({
      smartLists: [{ id: big.id, name: big.name }],
      bulkActions: [],
      counts: { smartLists: 1, bulkActions: 0 },
    });
    const refused = await owner.request('DELETE', url(`/custom-fields/${field.id}`));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'IN_USE', details: usage.json() });
    // Nothing changed yet.
    expect((await owner.request('GET', url(`/smart-lists/${big.id}/count`))).json()).toEqual({ count: 1 });

    const confirmed = await owner.request('DELETE', url(`/custom-fields/${field.id}?confirm=true`));
    expect(confirmed.statusCode, confirmed.body).toBe(204);
    const after = (await owner.request('GET', url(`/smart-lists/${big.id}`))).json();
    expect(after.filter).toEqual({
      op: 'and',
      conditions: [{ type: 'email_domain', op: 'equals', value: 'example.com' }],
    });
    expect(after.notes).toEqual([
      {
        kind: 'custom_field',
        name: 'Shoe size',
        key: 'shoe_size',
        removed: 1,
        at: h.clock.now().toISOString(),
        by: { id: owner.userId, name: expect.any(String) },
      },
    ]);
    // Count, list and preview work again (they answered 400 "unknown custom field" before).
    expect((await owner.request('GET', url(`/smart-lists/${big.id}/count`))).json()).toEqual({ count: 2 });
    const list = await owner.request('GET', url(`/contacts?smartListId=${big.id}`));
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(2);
    const preview = await owner.request('POST', url('/selections/preview'), {
      selection: { smartListId: big.id },
    });
    expect(preview.json().count).toBe(2);
    // The note stays until dismissed.
    const dismissed = await owner.request('DELETE', url(`/smart-lists/${big.id}/notes`));
    expect(dismissed.statusCode).toBe(200);
    expect(dismissed.json().notes).toEqual([]);
  });

  it('a list used inside an OR group: the condition and the group it leaves empty go, the rest stays', async () => {
    const list = (await owner.request('POST', url('/lists'), { name: 'Newsletter' })).json<{ id: string }>();
    const sl = await smartList(
      'Newsletter or other domain',
      [
        { op: 'and', conditions: [{ type: 'list', op: 'member', listId: list.id }] },
        { type: 'email_domain', op: 'equals', value: 'other.example' },
      ],
      'or',
    );
    expect((await owner.request('DELETE', url(`/lists/${list.id}`))).json().error.details.counts).toEqual({
      smartLists: 1,
      bulkActions: 0,
    });
    expect((await owner.request('DELETE', url(`/lists/${list.id}?confirm=true`))).statusCode).toBe(204);
    const after = (await owner.request('GET', url(`/smart-lists/${sl.id}`))).json();
    expect(after.filter).toEqual({
      op: 'or',
      conditions: [{ type: 'email_domain', op: 'equals', value: 'other.example' }],
    });
    expect(after.notes[0]).toMatchObject({ kind: 'list', name: 'Newsletter', removed: 1 });
    expect((await owner.request('GET', url(`/smart-lists/${sl.id}/count`))).json()).toEqual({ count: 1 });
  });

  it('an entry nothing uses is deleted at once', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'unused' })).json<{ id: string }>();
    expect((await owner.request('DELETE', url(`/tags/${tag.id}`))).statusCode).toBe(204);
  });

  const scheduledAddTag = async (tagName: string) => {
    const tag = (await owner.request('POST', url('/tags'), { name: tagName })).json<{ id: string }>();
    const res = await owner.request('POST', url('/bulk-actions'), {
      type: 'add_tag',
      tagId: tag.id,
      selection: { filter: { op: 'and', conditions: [] } },
      scheduledFor: new Date(h.clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(201);
    // Frozen as the worker would, then waiting for its time.
    await h.services.bulkRunner.prepare(Number(res.json<BulkAction>().id));
    const action = (
      await owner.request('GET', url(`/bulk-actions/${res.json<BulkAction>().id}`))
    ).json<BulkAction>();
    return { tag, action };
  };
  const failedNotification = async (actionId: string) => {
    const notes = (await owner.request('GET', url('/notifications?type=bulk_action.failed'))).json<{
      items: { params: unknown; subject: { id: string } }[];
    }>();
    return notes.items.filter((n) => n.subject.id === actionId);
  };

  it('a scheduled add-tag whose tag is deleted fails once, with a translated reason', async () => {
    const { tag, action } = await scheduledAddTag('Black Friday');
    const refused = await owner.request('DELETE', url(`/tags/${tag.id}`));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toEqual({
      smartLists: [],
      bulkActions: [{ id: action.id, name: action.name, status: 'queued' }],
      counts: { smartLists: 0, bulkActions: 1 },
    });
    expect((await owner.request('DELETE', url(`/tags/${tag.id}?confirm=true`))).statusCode).toBe(204);

    const failed = (await owner.request('GET', url(`/bulk-actions/${action.id}`))).json<BulkAction>();
    expect(failed).toMatchObject({ status: 'failed', error: 'target_deleted', processed: 0 });
    // When it comes due, nothing runs.
    h.clock.advance(2 * 3_600_000);
    await h.services.bulkRunner.run(Number(action.id));
    expect((await owner.request('GET', url(`/bulk-actions/${action.id}`))).json().status).toBe('failed');

    const notes = await failedNotification(action.id);
    expect(notes).toHaveLength(1);
    const en = renderNotification('en', 'bulk_action.failed', notes[0]!.params);
    const de = renderNotification('de', 'bulk_action.failed', notes[0]!.params);
    expect(en.body).toBe('It stopped after 0 of 3 contacts: The tag "Black Friday" it works on was deleted.');
    expect(de.body).toBe(
      'Sie wurde nach 0 von 3 Kontakten abgebrochen: Der Tag „Black Friday“, auf den sie sich bezog, wurde gelöscht.',
    );
    for (const text of [en.body, de.body]) expect(text).not.toMatch(/foreign key|violates|constraint/i);
  });

  it('an action that meets a vanished tag at run time (race) fails once with the reason, no retries', async () => {
    const { tag, action } = await scheduledAddTag('Race');
    // The tag vanishes behind the service's back, as in a race with the delete.
    await h.db.database.db.execute(sql`DELETE FROM tags WHERE id = ${Number(tag.id)}`);
    h.clock.advance(2 * 3_600_000);
    await h.services.bulkRunner.run(Number(action.id));
    const failed = (await owner.request('GET', url(`/bulk-actions/${action.id}`))).json<BulkAction>();
    expect(failed).toMatchObject({ status: 'failed', error: 'target_deleted' });
    const audit = (await owner.request('GET', url(`/bulk-actions/${action.id}/audit`))).json<{
      items: { event: string; details: Record<string, unknown> }[];
    }>();
    expect(audit.items.filter((e) => e.event === 'failed')).toHaveLength(1);
    const notes = await failedNotification(action.id);
    expect(notes).toHaveLength(1);
    expect(renderNotification('en', 'bulk_action.failed', notes[0]!.params).body).toContain('was deleted');
    expect(renderNotification('de', 'bulk_action.failed', notes[0]!.params).body).toContain('wurde gelöscht');
  });

  it('a SmartList that still meets a missing reference (race) answers 400, never 500', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'ghost' })).json<{ id: string }>();
    const sl = await smartList('Ghosts', [{ type: 'tag', op: 'has', tagId: tag.id }]);
    await h.db.database.db.execute(sql`DELETE FROM tags WHERE id = ${Number(tag.id)}`);
    for (const res of [
      await owner.request('GET', url(`/smart-lists/${sl.id}/count`)),
      await owner.request('GET', url(`/contacts?smartListId=${sl.id}`)),
      await owner.request('POST', url('/selections/preview'), { selection: { smartListId: sl.id } }),
    ]) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('SMART_LIST_INVALID');
    }
  });

  it('refuses to delete a tag while an action using it runs', async () => {
    const { tag, action } = await scheduledAddTag('Running');
    await h.db.database.db.execute(
      sql`UPDATE bulk_actions SET status = 'in_progress' WHERE id = ${Number(action.id)}`,
    );
    const res = await owner.request('DELETE', url(`/tags/${tag.id}?confirm=true`));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'CONFLICT',
      details: { bulkActions: [{ id: action.id, status: 'in_progress' }] },
    });
    const still = await rows<{ n: number }>(
      h.db.database.db,
      sql`SELECT count(*)::int AS n FROM tags WHERE id = ${Number(tag.id)}`,
    );
    expect(still[0]!.n).toBe(1);
  });
});
