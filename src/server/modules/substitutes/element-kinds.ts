// Where each element kind lives (ELEMENT_KINDS of shared/distribution.ts): email and SMS templates
// share message_templates (by channel), a target group is a SmartList. The one map of kind → table,
// used by substitutes and by distribution (copies, suggestions, name checks). Every query here
// filters by account explicitly, so it may run on the plain db for a descendant's elements.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import { ELEMENT_KINDS, type DistributableKind, type ElementKind } from '../../../shared/distribution.ts';

/** The table of a kind and the condition that narrows it to that kind (alias `e`). */
const TABLES: Record<ElementKind, { table: SQL; where: SQL }> = {
  email_template: { table: sql`message_templates`, where: sql`e.channel = 'email'` },
  sms_template: { table: sql`message_templates`, where: sql`e.channel = 'sms'` },
  mailing: { table: sql`mailings`, where: sql`true` },
  subscriber_list: { table: sql`subscriber_lists`, where: sql`true` },
  target_group: { table: sql`smart_lists`, where: sql`true` },
  sender_profile: { table: sql`sender_profiles`, where: sql`true` },
};

/** The table of a kind and the condition narrowing alias `e` to that kind (`true` when the table holds one kind). */
export const tableOf = (kind: ElementKind): { table: SQL; where: SQL } => TABLES[kind];

/** Whether a distributable kind is a template (message_templates) rather than a mailing. */
export const isTemplateKind = (kind: DistributableKind): kind is 'email_template' | 'sms_template' =>
  kind !== 'mailing';

/** The table holding copies of a distributable kind (raw identifier). */
export const copyTableOf = (kind: DistributableKind): SQL =>
  sql.raw(isTemplateKind(kind) ? 'message_templates' : 'mailings');

/**
 * SQL for the name of element `id` of kind `kind` in account `account` (three SQL expressions, e.g.
 * columns of `substitutes`): null when there is no such element (deleted since, or another kind).
 */
export function elementNameSql(kind: SQL, account: SQL, id: SQL): SQL {
  const branches = ELEMENT_KINDS.map((k) => {
    const t = TABLES[k];
    return sql`WHEN ${k} THEN (SELECT e.name FROM ${t.table} e WHERE e.account_id = ${account} AND e.id = ${id} AND ${t.where})`;
  });
  return sql`(CASE ${kind} ${sql.join(branches, sql` `)} END)`;
}

/** Element `id` of `kind` in `accountId` (its name), or null. */
export async function findElement(
  q: Queryable,
  accountId: number,
  kind: ElementKind,
  id: number,
): Promise<{ id: number; name: string } | null> {
  const t = TABLES[kind];
  const [row] = await rows<{ id: number; name: string }>(
    q,
    sql`SELECT e.id::int AS id, e.name FROM ${t.table} e
        WHERE e.account_id = ${accountId} AND e.id = ${id} AND ${t.where}`,
  );
  return row ? { id: Number(row.id), name: row.name } : null;
}

/** The kinds under which `id` exists in `accountId` (ids are per table, so several may match). */
export async function kindsOfId(q: Queryable, accountId: number, id: number): Promise<ElementKind[]> {
  const parts = ELEMENT_KINDS.map((k) => {
    const t = TABLES[k];
    return sql`SELECT ${k}::text AS kind FROM ${t.table} e WHERE e.account_id = ${accountId} AND e.id = ${id} AND ${t.where}`;
  });
  const found = await rows<{ kind: ElementKind }>(q, sql.join(parts, sql` UNION ALL `));
  return found.map((r) => r.kind);
}

/**
 * Elements of `kind` in `accountId`, by name: those whose name contains `search` (any case), the
 * one named exactly `search` first, at most `limit`.
 */
export async function elementsOf(
  q: Queryable,
  accountId: number,
  kind: ElementKind,
  opts: { search?: string; name?: string; limit: number },
): Promise<{ id: number; name: string }[]> {
  const t = TABLES[kind];
  const where: SQL[] = [sql`e.account_id = ${accountId}`, t.where];
  if (opts.search) where.push(sql`strpos(lower(e.name), lower(${opts.search})) > 0`);
  if (opts.name !== undefined) where.push(sql`lower(e.name) = lower(${opts.name})`);
  const exactFirst = opts.search ? sql`(lower(e.name) = lower(${opts.search})) DESC, ` : sql``;
  const found = await rows<{ id: number; name: string }>(
    q,
    sql`SELECT e.id::int AS id, e.name FROM ${t.table} e WHERE ${sql.join(where, sql` AND `)}
        ORDER BY ${exactFirst}lower(e.name), e.id LIMIT ${opts.limit}`,
  );
  return found.map((r) => ({ id: Number(r.id), name: r.name }));
}
