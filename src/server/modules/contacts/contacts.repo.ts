import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { Consent, ContactSort, CustomValue } from '../../../shared/contacts.ts';

/** A contact as read for the API (timestamps already ISO text, ids as the driver returns them). */
export interface ContactRow {
  id: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  emailConsent: Consent;
  smsConsent: Consent;
  customFields: Record<string, CustomValue>;
  tagIds: (number | string)[];
  listIds: (number | string)[];
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  sortKey: string;
}

export interface ContactWrite {
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  emailConsent?: Consent;
  smsConsent?: Consent;
  customFields?: Record<string, CustomValue>;
}

const iso = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Sort orders: the SQL expression, matching an index in 0002_contacts.sql, and how a cursor value is cast back. */
const SORTS: Record<ContactSort, { expr: SQL; cast: (v: string) => SQL }> = {
  created_at: { expr: sql`c.created_at`, cast: (v) => sql`${v}::timestamptz` },
  updated_at: { expr: sql`c.updated_at`, cast: (v) => sql`${v}::timestamptz` },
  email: {
    expr: sql`(coalesce(lower(c.email), '') COLLATE "C")`,
    cast: (v) => sql`(${v}::text COLLATE "C")`,
  },
  last_name: {
    expr: sql`(coalesce(lower(c.last_name), '') COLLATE "C")`,
    cast: (v) => sql`(${v}::text COLLATE "C")`,
  },
  id: { expr: sql`c.id`, cast: (v) => sql`${v}::bigint` },
};

function selectContacts(sort: ContactSort): SQL {
  return sql`SELECT c.id, c.email, c.phone, c.first_name AS "firstName", c.last_name AS "lastName",
      c.email_consent AS "emailConsent", c.sms_consent AS "smsConsent", c.custom_fields AS "customFields",
      coalesce((SELECT array_agg(ct.tag_id ORDER BY ct.tag_id) FROM contact_tags ct WHERE ct.contact_id = c.id), '{}') AS "tagIds",
      coalesce((SELECT array_agg(lm.list_id ORDER BY lm.list_id) FROM list_members lm WHERE lm.contact_id = c.id), '{}') AS "listIds",
      ${iso(sql`c.created_at`)} AS "createdAt", ${iso(sql`c.updated_at`)} AS "updatedAt",
      c.created_by AS "createdBy", c.updated_by AS "updatedBy", ${SORTS[sort].expr}::text AS "sortKey"
    FROM contacts c`;
}

/** The predicate every read of live contacts starts from. */
export const liveContacts = (accountId: AccountId): SQL =>
  sql`c.account_id = ${accountId} AND c.deleted_at IS NULL`;

export async function findContact(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<ContactRow | undefined> {
  const [row] = await rows<ContactRow>(
    q,
    sql`${selectContacts('id')} WHERE ${liveContacts(accountId)} AND c.id = ${id}`,
  );
  return row;
}

export async function findContactsByIds(
  q: Queryable,
  accountId: AccountId,
  ids: number[],
): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  return rows<ContactRow>(
    q,
    sql`${selectContacts('id')} WHERE ${liveContacts(accountId)} AND c.id = ANY(${`{${ids.join(',')}}`}::bigint[]) ORDER BY c.id`,
  );
}

/**
 * One keyset page: `limit` contacts matching `where`, after the cursor position, in the sort order.
 * Never OFFSET: the cost of page 1,000 is the cost of page 1.
 */
export async function pageContacts(
  q: Queryable,
  where: SQL,
  sort: ContactSort,
  dir: 'asc' | 'desc',
  after: { key: string; id: number } | null,
  limit: number,
): Promise<ContactRow[]> {
  const { expr, cast } = SORTS[sort];
  const order = dir === 'asc' ? sql`ASC` : sql`DESC`;
  const keyset = after
    ? dir === 'asc'
      ? sql` AND (${expr}, c.id) > (${cast(after.key)}, ${after.id})`
      : sql` AND (${expr}, c.id) < (${cast(after.key)}, ${after.id})`
    : sql``;
  const orderBy = sort === 'id' ? sql`c.id ${order}` : sql`${expr} ${order}, c.id ${order}`;
  return rows<ContactRow>(
    q,
    sql`${selectContacts(sort)} WHERE ${where}${keyset} ORDER BY ${orderBy} LIMIT ${limit}`,
  );
}

export async function countContacts(q: Queryable, where: SQL): Promise<number> {
  const [row] = await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM contacts c WHERE ${where}`);
  return row?.n ?? 0;
}

/** Ids in id order after `afterId`, for streaming a selection without holding it in memory. */
export async function nextIds(q: Queryable, where: SQL, afterId: number, limit: number): Promise<number[]> {
  const found = await rows<{ id: number }>(
    q,
    sql`SELECT c.id FROM contacts c WHERE ${where} AND c.id > ${afterId} ORDER BY c.id LIMIT ${limit}`,
  );
  return found.map((r) => Number(r.id));
}

export async function insertContact(
  q: Queryable,
  accountId: AccountId,
  data: ContactWrite,
  userId: number | null,
  now: Date,
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO contacts (account_id, email, phone, first_name, last_name, email_consent, sms_consent, custom_fields,
                              created_at, updated_at, created_by, updated_by)
        VALUES (${accountId}, ${data.email ?? null}, ${data.phone ?? null}, ${data.firstName ?? null}, ${data.lastName ?? null},
                ${data.emailConsent ?? 'subscribed'}, ${data.smsConsent ?? 'subscribed'}, ${JSON.stringify(data.customFields ?? {})}::jsonb,
                ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${userId}, ${userId})
        RETURNING id`,
  );
  return Number(row!.id);
}

/** Applies the given fields (custom fields merge key by key; null removes a key). */
export async function updateContact(
  q: Queryable,
  accountId: AccountId,
  id: number,
  data: ContactWrite,
  userId: number | null,
  now: Date,
): Promise<boolean> {
  const sets: SQL[] = [sql`updated_at = ${now.toISOString()}::timestamptz`, sql`updated_by = ${userId}`];
  if (data.email !== undefined) sets.push(sql`email = ${data.email}`);
  if (data.phone !== undefined) sets.push(sql`phone = ${data.phone}`);
  if (data.firstName !== undefined) sets.push(sql`first_name = ${data.firstName}`);
  if (data.lastName !== undefined) sets.push(sql`last_name = ${data.lastName}`);
  if (data.emailConsent !== undefined) sets.push(sql`email_consent = ${data.emailConsent}`);
  if (data.smsConsent !== undefined) sets.push(sql`sms_consent = ${data.smsConsent}`);
  if (data.customFields !== undefined) {
    sets.push(
      sql`custom_fields = jsonb_strip_nulls(custom_fields || ${JSON.stringify(data.customFields)}::jsonb)`,
    );
  }
  const updated = await rows<{ id: number }>(
    q,
    sql`UPDATE contacts SET ${sql.join(sets, sql`, `)} WHERE ${sql`account_id = ${accountId} AND deleted_at IS NULL`} AND id = ${id} RETURNING id`,
  );
  return updated.length > 0;
}

export async function softDeleteContact(
  q: Queryable,
  accountId: AccountId,
  id: number,
  userId: number | null,
  now: Date,
): Promise<boolean> {
  const gone = await rows<{ id: number }>(
    q,
    sql`UPDATE contacts SET deleted_at = ${now.toISOString()}::timestamptz, updated_by = ${userId}
        WHERE account_id = ${accountId} AND deleted_at IS NULL AND id = ${id} RETURNING id`,
  );
  return gone.length > 0;
}

/** Replaces a contact's tags with exactly `tagIds` (which must belong to the account). */
export async function setContactTags(
  q: Queryable,
  accountId: AccountId,
  contactId: number,
  tagIds: number[],
): Promise<void> {
  const ids = `{${tagIds.join(',')}}`;
  await q.execute(
    sql`DELETE FROM contact_tags WHERE contact_id = ${contactId} AND NOT (tag_id = ANY(${ids}::bigint[]))`,
  );
  await addContactTags(q, accountId, contactId, tagIds);
}

export async function addContactTags(
  q: Queryable,
  accountId: AccountId,
  contactId: number,
  tagIds: number[],
): Promise<void> {
  if (tagIds.length === 0) return;
  await q.execute(
    sql`INSERT INTO contact_tags (account_id, contact_id, tag_id)
        SELECT ${accountId}, ${contactId}, t FROM unnest(${`{${tagIds.join(',')}}`}::bigint[]) AS t
        ON CONFLICT DO NOTHING`,
  );
}

export async function removeContactTag(q: Queryable, contactId: number, tagId: number): Promise<void> {
  await q.execute(sql`DELETE FROM contact_tags WHERE contact_id = ${contactId} AND tag_id = ${tagId}`);
}

export async function setContactLists(
  q: Queryable,
  accountId: AccountId,
  contactId: number,
  listIds: number[],
): Promise<void> {
  const ids = `{${listIds.join(',')}}`;
  await q.execute(
    sql`DELETE FROM list_members WHERE contact_id = ${contactId} AND NOT (list_id = ANY(${ids}::bigint[]))`,
  );
  await addContactLists(q, accountId, contactId, listIds);
}

export async function addContactLists(
  q: Queryable,
  accountId: AccountId,
  contactId: number,
  listIds: number[],
): Promise<void> {
  if (listIds.length === 0) return;
  await q.execute(
    sql`INSERT INTO list_members (account_id, contact_id, list_id)
        SELECT ${accountId}, ${contactId}, l FROM unnest(${`{${listIds.join(',')}}`}::bigint[]) AS l
        ON CONFLICT DO NOTHING`,
  );
}

export async function removeContactList(q: Queryable, contactId: number, listId: number): Promise<void> {
  await q.execute(sql`DELETE FROM list_members WHERE contact_id = ${contactId} AND list_id = ${listId}`);
}
