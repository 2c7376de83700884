// SQL of message templates (table message_templates) and their use by unfinished bulk actions.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { Channel } from '../../../shared/messaging.ts';
import { originColumns, type OriginFields } from '../../db/element-origin.ts';

export interface TemplateRow extends OriginFields {
  id: number;
  channel: Channel;
  name: string;
  subject: string | null;
  html: string | null;
  textBody: string | null;
  fields: string[];
  createdAt: Date | string;
  updatedAt: Date | string;
  /** lower(name): the list's sort key. */
  sortName: string;
}

const COLUMNS = sql`t.id::bigint AS id, t.channel, t.name, t.subject, t.html, t.text_body AS "textBody",
  t.fields, t.created_at AS "createdAt", t.updated_at AS "updatedAt", lower(t.name) AS "sortName",
  ${originColumns('t')}`;
/** The list's columns: no bodies. */
const SUMMARY_COLUMNS = sql`t.id::bigint AS id, t.channel, t.name, t.subject, NULL::text AS html,
  NULL::text AS "textBody", t.fields, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
  lower(t.name) AS "sortName", ${originColumns('t')}`;

const fromRow = (row: TemplateRow): TemplateRow => ({
  ...row,
  id: Number(row.id),
  fields: row.fields ?? [],
  version: Number(row.version),
});

/** `search`: part of the name, any case; a keyset page by (lower(name), id) after `after`. */
export async function listTemplates(
  q: Queryable,
  accountId: AccountId,
  opts: {
    channel?: Channel;
    search?: string;
    active?: boolean;
    after: [string, number] | null;
    limit: number;
  },
): Promise<TemplateRow[]> {
  const where: SQL[] = [sql`t.account_id = ${accountId}`];
  if (opts.channel) where.push(sql`t.channel = ${opts.channel}`);
  if (opts.active !== undefined) where.push(sql`t.active = ${opts.active}`);
  if (opts.search) where.push(sql`strpos(lower(t.name), lower(${opts.search})) > 0`);
  if (opts.after) where.push(sql`(lower(t.name), t.id) > (${opts.after[0]}::text, ${opts.after[1]}::bigint)`);
  const found = await rows<TemplateRow>(
    q,
    sql`SELECT ${SUMMARY_COLUMNS} FROM message_templates t WHERE ${sql.join(where, sql` AND `)}
        ORDER BY lower(t.name), t.id LIMIT ${opts.limit}`,
  );
  return found.map(fromRow);
}

/**
 * One template of the account. `lock`: `share` keeps it from being deleted until the transaction
 * ends (a bulk action being created from it); `update` is the delete's own lock.
 */
export async function findTemplate(
  q: Queryable,
  accountId: AccountId,
  id: number,
  lock?: 'share' | 'update',
): Promise<TemplateRow | undefined> {
  const locking = lock === 'share' ? sql` FOR SHARE` : lock === 'update' ? sql` FOR UPDATE` : sql``;
  const [row] = await rows<TemplateRow>(
    q,
    sql`SELECT ${COLUMNS} FROM message_templates t WHERE t.account_id = ${accountId} AND t.id = ${id}${locking}`,
  );
  return row && fromRow(row);
}

export interface TemplateValues {
  channel: Channel;
  name: string;
  subject: string | null;
  html: string | null;
  textBody: string | null;
  fields: string[];
}

const textArray = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

export async function insertTemplate(
  q: Queryable,
  accountId: AccountId,
  values: TemplateValues,
  userId: number,
  now: Date,
): Promise<TemplateRow> {
  const [row] = await rows<TemplateRow>(
    q,
    sql`INSERT INTO message_templates AS t
          (account_id, channel, name, subject, html, text_body, fields, created_at, updated_at, created_by, updated_by)
        VALUES (${accountId}, ${values.channel}, ${values.name}, ${values.subject}, ${values.html}, ${values.textBody},
                ${textArray(values.fields)}::text[], ${now.toISOString()}, ${now.toISOString()}, ${userId}, ${userId})
        RETURNING ${COLUMNS}`,
  );
  return fromRow(row!);
}

export async function updateTemplate(
  q: Queryable,
  accountId: AccountId,
  id: number,
  values: Omit<TemplateValues, 'channel'>,
  userId: number,
  now: Date,
): Promise<TemplateRow | undefined> {
  const [row] = await rows<TemplateRow>(
    q,
    sql`UPDATE message_templates t SET name = ${values.name}, subject = ${values.subject}, html = ${values.html},
          text_body = ${values.textBody}, fields = ${textArray(values.fields)}::text[],
          updated_at = ${now.toISOString()}, updated_by = ${userId}
        WHERE t.account_id = ${accountId} AND t.id = ${id}
        RETURNING ${COLUMNS}`,
  );
  return row && fromRow(row);
}

/** Sets the activation status (not content: version and content hash stay). */
export async function setTemplateActive(
  q: Queryable,
  accountId: AccountId,
  id: number,
  active: boolean,
  userId: number,
  now: Date,
): Promise<TemplateRow | undefined> {
  const [row] = await rows<TemplateRow>(
    q,
    sql`UPDATE message_templates t SET active = ${active}, updated_at = ${now.toISOString()}, updated_by = ${userId}
        WHERE t.account_id = ${accountId} AND t.id = ${id}
        RETURNING ${COLUMNS}`,
  );
  return row && fromRow(row);
}

export async function deleteTemplate(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const gone = await rows<{ id: number }>(
    q,
    sql`DELETE FROM message_templates WHERE account_id = ${accountId} AND id = ${id} RETURNING id`,
  );
  return gone.length > 0;
}

/** Unfinished bulk actions (preparing, queued or scheduled, running, paused) whose params name the template. */
export async function actionsUsingTemplate(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<{ id: number; name: string; status: string }[]> {
  const found = await rows<{ id: number; name: string; status: string }>(
    q,
    sql`SELECT b.id::bigint AS id, b.name, b.status FROM bulk_actions b
        WHERE b.account_id = ${accountId} AND b.params->>'templateId' = ${String(id)}
          AND b.status IN ('preparing', 'queued', 'in_progress', 'paused')
        ORDER BY b.id`,
  );
  return found.map((r) => ({ ...r, id: Number(r.id) }));
}
