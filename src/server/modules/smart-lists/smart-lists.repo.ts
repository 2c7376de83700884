import { and, asc, eq, sql } from 'drizzle-orm';
import { smartLists } from '../../db/schema.ts';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { FilterGroup } from '../../../shared/contacts.ts';
import type { SmartListNote } from '../../../shared/references.ts';
import { filterUses, type FilterReference } from './filter-references.ts';

export type SmartListRow = typeof smartLists.$inferSelect;

export async function listSmartLists(q: Queryable, accountId: AccountId): Promise<SmartListRow[]> {
  return q
    .select()
    .from(smartLists)
    .where(eq(smartLists.accountId, accountId))
    .orderBy(asc(sql`lower(${smartLists.name})`));
}

export async function findSmartList(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<SmartListRow | undefined> {
  const [row] = await q
    .select()
    .from(smartLists)
    .where(and(eq(smartLists.accountId, accountId), eq(smartLists.id, id)))
    .limit(1);
  return row;
}

export async function insertSmartList(
  q: Queryable,
  accountId: AccountId,
  list: { name: string; filter: FilterGroup; createdBy: number | null; now: Date },
): Promise<SmartListRow> {
  const [row] = await q
    .insert(smartLists)
    .values({
      accountId,
      name: list.name,
      filter: list.filter,
      createdBy: list.createdBy,
      createdAt: list.now,
      updatedAt: list.now,
    })
    .returning();
  return row!;
}

export async function updateSmartList(
  q: Queryable,
  accountId: AccountId,
  id: number,
  patch: { name?: string; filter?: FilterGroup; now: Date },
): Promise<SmartListRow | undefined> {
  const [row] = await q
    .update(smartLists)
    .set({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.filter === undefined ? {} : { filter: patch.filter }),
      updatedAt: patch.now,
    })
    .where(and(eq(smartLists.accountId, accountId), eq(smartLists.id, id)))
    .returning();
  return row;
}

export async function deleteSmartList(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const gone = await q
    .delete(smartLists)
    .where(and(eq(smartLists.accountId, accountId), eq(smartLists.id, id)))
    .returning({ id: smartLists.id });
  return gone.length > 0;
}

/** SmartLists whose filter uses `ref`, locked for the caller's rewrite when `lock`. */
export async function smartListsUsing(
  q: Queryable,
  accountId: AccountId,
  ref: FilterReference,
  lock: boolean,
): Promise<{ id: number; name: string; filter: unknown }[]> {
  const found = await rows<{ id: number; name: string; filter: unknown }>(
    q,
    sql`SELECT s.id, s.name, s.filter FROM smart_lists s
        WHERE s.account_id = ${accountId} AND ${filterUses(ref)}
        ORDER BY lower(s.name), s.id${lock ? sql` FOR UPDATE` : sql``}`,
  );
  return found.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Stores a filter without the removed conditions and appends the note that says so. */
export async function repairSmartList(
  q: Queryable,
  accountId: AccountId,
  id: number,
  filter: FilterGroup,
  note: SmartListNote,
  now: Date,
): Promise<void> {
  await q.execute(
    sql`UPDATE smart_lists SET filter = ${JSON.stringify(filter)}::jsonb,
          repair_notes = repair_notes || ${JSON.stringify([note])}::jsonb, updated_at = ${now.toISOString()}::timestamptz
        WHERE account_id = ${accountId} AND id = ${id}`,
  );
}

/** Removes a SmartList's notes (the user has read them). */
export async function clearNotes(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<SmartListRow | undefined> {
  const [row] = await q
    .update(smartLists)
    .set({ repairNotes: [] })
    .where(and(eq(smartLists.accountId, accountId), eq(smartLists.id, id)))
    .returning();
  return row;
}
