import { and, asc, eq, sql } from 'drizzle-orm';
import { smartLists } from '../../db/schema.ts';
import type { Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { FilterGroup } from '../../../shared/contacts.ts';

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
