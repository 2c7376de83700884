// Tags, subscriber lists and custom field definitions: the per-account catalogues contacts refer to.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { customFieldDefs, subscriberLists, tags } from '../../db/schema.ts';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { CustomFieldType } from '../../../shared/contacts.ts';

export type TagRow = typeof tags.$inferSelect;
export type ListRow = typeof subscriberLists.$inferSelect;
export type FieldRow = typeof customFieldDefs.$inferSelect;

export async function listTags(
  q: Queryable,
  accountId: AccountId,
): Promise<(TagRow & { contactCount: number })[]> {
  return rows(
    q,
    sql`SELECT t.id, t.account_id AS "accountId", t.name, t.color, t.created_at AS "createdAt",
               (SELECT count(*) FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id
                 WHERE ct.tag_id = t.id AND c.deleted_at IS NULL)::int AS "contactCount"
        FROM tags t WHERE t.account_id = ${accountId} ORDER BY lower(t.name)`,
  );
}

export async function insertTag(
  q: Queryable,
  accountId: AccountId,
  tag: { name: string; color?: string | null },
): Promise<TagRow> {
  const [row] = await q
    .insert(tags)
    .values({ accountId, name: tag.name, color: tag.color ?? null })
    .returning();
  return row!;
}

export async function updateTag(
  q: Queryable,
  accountId: AccountId,
  id: number,
  patch: { name: string; color?: string | null },
): Promise<TagRow | undefined> {
  const [row] = await q
    .update(tags)
    .set({ name: patch.name, ...(patch.color === undefined ? {} : { color: patch.color }) })
    .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
    .returning();
  return row;
}

export async function deleteTag(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  return (
    (
      await q
        .delete(tags)
        .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
        .returning({ id: tags.id })
    ).length > 0
  );
}

export async function existingTagIds(
  q: Queryable,
  accountId: AccountId,
  ids: number[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await q
    .select({ id: tags.id })
    .from(tags)
    .where(and(eq(tags.accountId, accountId), inArray(tags.id, ids)));
  return new Set(found.map((r) => String(r.id)));
}

export async function listLists(
  q: Queryable,
  accountId: AccountId,
): Promise<(ListRow & { memberCount: number })[]> {
  return rows(
    q,
    sql`SELECT l.id, l.account_id AS "accountId", l.name, l.description, l.created_at AS "createdAt",
               (SELECT count(*) FROM list_members lm JOIN contacts c ON c.id = lm.contact_id
                 WHERE lm.list_id = l.id AND c.deleted_at IS NULL)::int AS "memberCount"
        FROM subscriber_lists l WHERE l.account_id = ${accountId} ORDER BY lower(l.name)`,
  );
}

export async function insertList(
  q: Queryable,
  accountId: AccountId,
  list: { name: string; description?: string | null },
): Promise<ListRow> {
  const [row] = await q
    .insert(subscriberLists)
    .values({ accountId, name: list.name, description: list.description ?? null })
    .returning();
  return row!;
}

export async function updateList(
  q: Queryable,
  accountId: AccountId,
  id: number,
  patch: { name: string; description?: string | null },
): Promise<ListRow | undefined> {
  const [row] = await q
    .update(subscriberLists)
    .set({ name: patch.name, ...(patch.description === undefined ? {} : { description: patch.description }) })
    .where(and(eq(subscriberLists.accountId, accountId), eq(subscriberLists.id, id)))
    .returning();
  return row;
}

export async function deleteList(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const gone = await q
    .delete(subscriberLists)
    .where(and(eq(subscriberLists.accountId, accountId), eq(subscriberLists.id, id)))
    .returning({ id: subscriberLists.id });
  return gone.length > 0;
}

export async function existingListIds(
  q: Queryable,
  accountId: AccountId,
  ids: number[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await q
    .select({ id: subscriberLists.id })
    .from(subscriberLists)
    .where(and(eq(subscriberLists.accountId, accountId), inArray(subscriberLists.id, ids)));
  return new Set(found.map((r) => String(r.id)));
}

export async function listFields(q: Queryable, accountId: AccountId): Promise<FieldRow[]> {
  return q
    .select()
    .from(customFieldDefs)
    .where(eq(customFieldDefs.accountId, accountId))
    .orderBy(asc(customFieldDefs.key));
}

export async function fieldTypes(q: Queryable, accountId: AccountId): Promise<Map<string, CustomFieldType>> {
  return new Map((await listFields(q, accountId)).map((f) => [f.key, f.type]));
}

export async function insertField(
  q: Queryable,
  accountId: AccountId,
  field: { key: string; label: string; type: CustomFieldType },
): Promise<FieldRow> {
  const [row] = await q
    .insert(customFieldDefs)
    .values({ accountId, ...field })
    .returning();
  return row!;
}

export async function updateField(
  q: Queryable,
  accountId: AccountId,
  id: number,
  label: string,
): Promise<FieldRow | undefined> {
  const [row] = await q
    .update(customFieldDefs)
    .set({ label })
    .where(and(eq(customFieldDefs.accountId, accountId), eq(customFieldDefs.id, id)))
    .returning();
  return row;
}

/** Deletes the definition and strips its values from every contact (set-based, one statement). */
export async function deleteField(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const [gone] = await q
    .delete(customFieldDefs)
    .where(and(eq(customFieldDefs.accountId, accountId), eq(customFieldDefs.id, id)))
    .returning({ key: customFieldDefs.key });
  if (!gone) return false;
  await q.execute(
    sql`UPDATE contacts SET custom_fields = custom_fields - ${gone.key}::text
        WHERE account_id = ${accountId} AND custom_fields ? ${gone.key}::text`,
  );
  return true;
}

/**
 * A tag, list or custom field by id (a field's name is its label), locked until the caller's
 * transaction ends when `lock` (the delete); undefined when it does not exist.
 */
export async function findEntry(
  q: Queryable,
  accountId: AccountId,
  kind: 'tag' | 'list' | 'custom_field',
  id: number,
  lock: boolean,
): Promise<{ name: string; key?: string } | undefined> {
  const forUpdate = lock ? sql` FOR UPDATE` : sql``;
  const [row] = await rows<{ name: string; key?: string }>(
    q,
    kind === 'tag'
      ? sql`SELECT name FROM tags WHERE account_id = ${accountId} AND id = ${id}${forUpdate}`
      : kind === 'list'
        ? sql`SELECT name FROM subscriber_lists WHERE account_id = ${accountId} AND id = ${id}${forUpdate}`
        : sql`SELECT label AS name, key FROM custom_field_defs WHERE account_id = ${accountId} AND id = ${id}${forUpdate}`,
  );
  return row;
}

/** A user's display name for notes (users are readable inside a tenant transaction). */
export async function userName(q: Queryable, userId: number): Promise<string | null> {
  const [row] = await rows<{ name: string }>(q, sql`SELECT name FROM users WHERE id = ${userId}`);
  return row?.name ?? null;
}
