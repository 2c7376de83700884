// The merge fields of an account and their values per contact. Set-based: one statement for the
// values of a chunk of contacts, one for the missing-field counts of a whole selection.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { liveContacts } from '../contacts/contacts.repo.ts';
import { listFields } from '../contacts/catalog.repo.ts';
import type { Channel } from '../../../shared/messaging.ts';
import {
  STANDARD_MERGE_FIELDS,
  SYSTEM_MERGE_FIELDS,
  type MergeField,
  type MissingField,
} from '../../../shared/templates.ts';
import type { MergeValues } from './template-render.ts';

type StandardField = (typeof STANDARD_MERGE_FIELDS)[number];
type SystemField = (typeof SYSTEM_MERGE_FIELDS)[number];

/** The column behind each standard field (a whitelist: field names never reach SQL as text). */
const STANDARD_COLUMNS: Record<StandardField, SQL> = {
  first_name: sql`c.first_name`,
  last_name: sql`c.last_name`,
  email: sql`c.email`,
  phone: sql`c.phone`,
};

const isStandard = (f: string): f is StandardField =>
  (STANDARD_MERGE_FIELDS as readonly string[]).includes(f);
const isSystem = (f: string): f is SystemField => (SYSTEM_MERGE_FIELDS as readonly string[]).includes(f);

/**
 * The account's merge-field catalog: standard fields, every custom field by its key, and the system
 * fields (`unsubscribe_url` in email only, `account_name`). A custom field whose key equals a
 * standard or system name is shadowed by it (custom keys are lower-case like them).
 */
export async function mergeFieldsOf(q: Queryable, accountId: AccountId): Promise<MergeField[]> {
  const both: Channel[] = ['email', 'sms'];
  const standard: MergeField[] = STANDARD_MERGE_FIELDS.map((key) => ({
    key,
    kind: 'standard',
    label: null,
    type: 'text',
    channels: both,
  }));
  const custom: MergeField[] = (await listFields(q, accountId))
    .filter((f) => !isStandard(f.key) && !isSystem(f.key))
    .map((f) => ({ key: f.key, kind: 'custom', label: f.label, type: f.type, channels: both }));
  const system: MergeField[] = [
    { key: 'unsubscribe_url', kind: 'system', label: null, type: 'text', channels: ['email'] },
    { key: 'account_name', kind: 'system', label: null, type: 'text', channels: both },
  ];
  return [...standard, ...custom, ...system];
}

/** The fields of `used` that a template of `channel` cannot use with this catalog, sorted. */
export function unknownFields(
  used: readonly string[],
  catalog: readonly MergeField[],
  channel: Channel,
): string[] {
  const known = new Set(catalog.filter((f) => f.channels.includes(channel)).map((f) => f.key));
  return [...new Set(used.filter((f) => !known.has(f)))].sort();
}

/**
 * The merge values of `contactIds` (live contacts of the account; others are absent from the map),
 * only `fields`, in one statement. Standard fields as stored (null when empty); custom fields as
 * their type is stored: numbers as numbers, booleans as booleans, dates as `YYYY-MM-DD` text (so
 * `{{ birthday | date: "%d.%m.%Y" }}` formats them), absent ones null; `account_name` the account's
 * name. `unsubscribe_url` is per message: the sender sets it (it is not filled here).
 */
export async function valuesForContacts(
  q: Queryable,
  accountId: AccountId,
  contactIds: readonly number[],
  fields: readonly string[],
): Promise<Map<number, MergeValues>> {
  const result = new Map<number, MergeValues>();
  if (contactIds.length === 0) return result;
  const wanted = [...new Set(fields)].filter((f) => f !== 'unsubscribe_url');
  const columns = wanted.map((field, i) => {
    const expr = isStandard(field)
      ? STANDARD_COLUMNS[field]
      : field === 'account_name'
        ? sql`(SELECT a.name FROM accounts a WHERE a.id = ${accountId})`
        : sql`c.custom_fields -> ${field}::text`;
    return sql`, ${expr} AS ${sql.identifier(`f${i}`)}`;
  });
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT c.id ${sql.join(columns, sql``)}
        FROM contacts c
        WHERE ${liveContacts(accountId)} AND c.id = ANY(${`{${contactIds.map(Number).join(',')}}`}::bigint[])`,
  );
  for (const row of found) {
    const values: MergeValues = {};
    wanted.forEach((field, i) => {
      values[field] = mergeValue(row[`f${i}`]);
    });
    result.set(Number(row.id), values);
  }
  return result;
}

/** The account's name (the `account_name` field), or null for an unknown account. */
export async function accountNameOf(q: Queryable, accountId: AccountId): Promise<string | null> {
  const [row] = await rows<{ name: string }>(q, sql`SELECT name FROM accounts WHERE id = ${accountId}`);
  return row?.name ?? null;
}

/** A stored value as a merge value: JSON scalars as they are, anything else (objects, arrays) as null. */
function mergeValue(value: unknown): MergeValues[string] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/**
 * Which contacts a send goes to, for missingFieldCounts: a SQL predicate over `contacts c` that
 * already limits to the account's live contacts (SelectionService.predicate gives one, and a sender
 * may AND its own conditions, e.g. consent, onto it), or explicit contact ids (a chunk, a frozen
 * list), which are limited to the account's live contacts here.
 */
export type RecipientSource = { where: SQL } | { contactIds: readonly number[] };

/**
 * How many recipients lack each of `fields` (null or empty; for custom fields also absent), in one
 * statement. System fields are never missing and are left out; only fields some recipient lacks are
 * listed, sorted by name.
 */
export async function missingFieldCounts(
  q: Queryable,
  accountId: AccountId,
  source: RecipientSource,
  fields: readonly string[],
): Promise<MissingField[]> {
  const checked = [...new Set(fields)].filter((f) => !isSystem(f)).sort();
  if (checked.length === 0) return [];
  if ('contactIds' in source && source.contactIds.length === 0) return [];
  const where =
    'where' in source
      ? source.where
      : sql`${liveContacts(accountId)} AND c.id = ANY(${`{${source.contactIds.map(Number).join(',')}}`}::bigint[])`;
  const counts = checked.map((field, i) => {
    const lacking = isStandard(field)
      ? sql`coalesce(${STANDARD_COLUMNS[field]}, '') = ''`
      : sql`coalesce(c.custom_fields ->> ${field}::text, '') = ''`;
    return sql`count(*) FILTER (WHERE ${lacking})::int AS ${sql.identifier(`f${i}`)}`;
  });
  const [row] = await rows<Record<string, number>>(
    q,
    sql`SELECT ${sql.join(counts, sql`, `)} FROM contacts c WHERE ${where}`,
  );
  return checked
    .map((field, i) => ({ field, count: Number(row?.[`f${i}`] ?? 0) }))
    .filter((m) => m.count > 0);
}
