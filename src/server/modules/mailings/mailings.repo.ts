// The SQL of the `mailings` table: rows with their API status (read from the bulk action while one
// runs), keyset pages, the figures of a page in one grouped statement per source, names of lists
// and target groups, and the conditional updates the lifecycle relies on.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { MailingStatus } from '../../../shared/mailings.ts';
import { originColumns, type OriginFields } from '../../db/element-origin.ts';

const idArray = (ids: readonly number[]) => `{${ids.join(',')}}`;

/** A mailing row as the module reads it (ids as numbers, times as ISO strings). */
export interface MailingRow extends OriginFields {
  id: number;
  accountId: number;
  name: string;
  templateId: number | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  senderProfileId: number | null;
  listIds: number[];
  targetGroupIds: number[];
  tracking: boolean;
  /** As stored (draft, scheduled, sent, failed, cancelled). */
  stored: string;
  /** As the API shows it (see apiStatus). */
  status: MailingStatus;
  scheduledFor: string | null;
  scheduledBy: number | null;
  held: boolean;
  rootId: number;
  resendOf: number | null;
  includeFailed: boolean;
  actionId: number | null;
  actionStatus: string | null;
  recipientsAtSend: number | null;
  failureReason: string | null;
  failureDetail: string | null;
  preflightAt: string | null;
  preflightCount: number | null;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * The API status as SQL over `m` (mailings) and `a` (its bulk action, LEFT JOINed): a handed-over
 * mailing whose action runs is sending or paused; an ended action the hooks did not finalise
 * (they do in the same transaction; this is the fallback) reads completed → sent.
 */
export const apiStatus = sql`CASE WHEN m.status = 'scheduled' AND m.action_id IS NOT NULL THEN
    CASE a.status WHEN 'paused' THEN 'paused' WHEN 'completed' THEN 'sent' WHEN 'failed' THEN 'failed'
      WHEN 'cancelled' THEN 'cancelled' ELSE 'sending' END
  ELSE m.status END`;

const columns = sql`m.id::int AS id, m.account_id::int AS "accountId", m.name,
  m.template_id::int AS "templateId", m.subject, m.html, m.text_body AS text,
  m.sender_profile_id::int AS "senderProfileId", m.list_ids::int[] AS "listIds",
  m.target_group_ids::int[] AS "targetGroupIds", m.tracking, m.status AS stored, ${apiStatus} AS status,
  m.scheduled_for AS "scheduledFor", m.scheduled_by::int AS "scheduledBy", m.held,
  m.root_id::int AS "rootId", m.resend_of::int AS "resendOf", m.include_failed AS "includeFailed",
  m.action_id::int AS "actionId", a.status AS "actionStatus", m.recipients_at_send AS "recipientsAtSend",
  m.failure_reason AS "failureReason", m.failure_detail AS "failureDetail",
  m.preflight_at AS "preflightAt", m.preflight_count AS "preflightCount",
  m.created_by::int AS "createdBy", m.created_at AS "createdAt", m.updated_at AS "updatedAt",
  m.started_at AS "startedAt", m.finished_at AS "finishedAt", ${originColumns('m')}`;

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

function toRow(r: Record<string, unknown>): MailingRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as MailingRow),
    id: Number(r.id),
    accountId: Number(r.accountId),
    templateId: num(r.templateId),
    senderProfileId: num(r.senderProfileId),
    listIds: ((r.listIds as unknown[] | null) ?? []).map(Number),
    targetGroupIds: ((r.targetGroupIds as unknown[] | null) ?? []).map(Number),
    scheduledBy: num(r.scheduledBy),
    rootId: Number(r.rootId),
    resendOf: num(r.resendOf),
    actionId: num(r.actionId),
    recipientsAtSend: num(r.recipientsAtSend),
    preflightCount: num(r.preflightCount),
    createdBy: num(r.createdBy),
    scheduledFor: iso(r.scheduledFor),
    preflightAt: iso(r.preflightAt),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    version: Number(r.version),
  };
}

/** One mailing of the account; `lock`: FOR UPDATE of the mailing row (not the action's). */
export async function findMailing(
  q: Queryable,
  accountId: number,
  id: number,
  lock = false,
): Promise<MailingRow | null> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT ${columns} FROM mailings m LEFT JOIN bulk_actions a ON a.id = m.action_id
        WHERE m.account_id = ${accountId} AND m.id = ${id} ${lock ? sql`FOR UPDATE OF m` : sql``}`,
  );
  return found[0] ? toRow(found[0]) : null;
}

/** The mailing whose send is `actionId`, if any. */
export async function findByAction(
  q: Queryable,
  accountId: number,
  actionId: number,
): Promise<MailingRow | null> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT ${columns} FROM mailings m LEFT JOIN bulk_actions a ON a.id = m.action_id
        WHERE m.account_id = ${accountId} AND m.action_id = ${actionId}`,
  );
  return found[0] ? toRow(found[0]) : null;
}

/** A keyset page, newest first, filtered by API status and name. Fetches `limit + 1`. */
export async function listMailings(
  q: Queryable,
  accountId: number,
  filter: { statuses?: readonly MailingStatus[] | undefined; search?: string | undefined; limit: number },
  after: { createdAt: string; id: number } | null,
): Promise<MailingRow[]> {
  const parts: SQL[] = [sql`m.account_id = ${accountId}`];
  if (filter.statuses?.length)
    parts.push(sql`(${apiStatus}) = ANY(${`{${filter.statuses.join(',')}}`}::text[])`);
  if (filter.search) {
    const escaped = filter.search.replace(/[\\%_]/g, '\\$&');
    parts.push(sql`m.name ILIKE ${`%${escaped}%`}`);
  }
  if (after) parts.push(sql`(m.created_at, m.id) < (${after.createdAt}::timestamptz, ${after.id})`);
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT ${columns} FROM mailings m LEFT JOIN bulk_actions a ON a.id = m.action_id
        WHERE ${sql.join(parts, sql` AND `)}
        ORDER BY m.created_at DESC, m.id DESC LIMIT ${filter.limit + 1}`,
  );
  return found.map(toRow);
}

/** Ledger and tracking figures per action, in two grouped statements for the whole page. */
export async function figuresOf(
  q: Queryable,
  accountId: number,
  actionIds: readonly number[],
): Promise<
  Map<
    number,
    {
      sent: number;
      delivered: number;
      bounced: number;
      failed: number;
      uniqueOpens: number;
      uniqueClicks: number;
    }
  >
> {
  const out = new Map<
    number,
    {
      sent: number;
      delivered: number;
      bounced: number;
      failed: number;
      uniqueOpens: number;
      uniqueClicks: number;
    }
  >();
  if (!actionIds.length) return out;
  const ids = idArray(actionIds);
  const ledger = await rows<Record<string, number>>(
    q,
    sql`SELECT action_id::int AS "actionId",
          count(*) FILTER (WHERE status IN ('sent', 'delivered'))::int AS sent,
          count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
          count(*) FILTER (WHERE status = 'bounced')::int AS bounced,
          count(*) FILTER (WHERE status = 'failed')::int AS failed
        FROM messages WHERE account_id = ${accountId} AND action_id = ANY(${ids}::bigint[])
        GROUP BY action_id`,
  );
  for (const id of actionIds)
    out.set(id, { sent: 0, delivered: 0, bounced: 0, failed: 0, uniqueOpens: 0, uniqueClicks: 0 });
  for (const r of ledger)
    Object.assign(out.get(Number(r.actionId))!, {
      sent: Number(r.sent),
      delivered: Number(r.delivered),
      bounced: Number(r.bounced),
      failed: Number(r.failed),
    });
  const tracking = await rows<Record<string, number>>(
    q,
    sql`SELECT action_id::int AS "actionId",
          count(DISTINCT message_id) FILTER (WHERE kind = 'open')::int AS opens,
          count(DISTINCT message_id) FILTER (WHERE kind = 'click')::int AS clicks
        FROM tracking_events WHERE account_id = ${accountId} AND action_id = ANY(${ids}::bigint[])
        GROUP BY action_id`,
  );
  for (const r of tracking)
    Object.assign(out.get(Number(r.actionId))!, {
      uniqueOpens: Number(r.opens),
      uniqueClicks: Number(r.clicks),
    });
  return out;
}

/** Names of the account's lists and SmartLists among `ids` (absent: deleted). */
export async function partNames(
  q: Queryable,
  accountId: number,
  listIds: readonly number[],
  groupIds: readonly number[],
): Promise<{ lists: Map<number, string>; groups: Map<number, string> }> {
  const lists = listIds.length
    ? await rows<{ id: number; name: string }>(
        q,
        sql`SELECT id::int AS id, name FROM subscriber_lists
            WHERE account_id = ${accountId} AND id = ANY(${idArray(listIds)}::bigint[])`,
      )
    : [];
  const groups = groupIds.length
    ? await rows<{ id: number; name: string }>(
        q,
        sql`SELECT id::int AS id, name FROM smart_lists
            WHERE account_id = ${accountId} AND id = ANY(${idArray(groupIds)}::bigint[])`,
      )
    : [];
  return {
    lists: new Map(lists.map((r) => [Number(r.id), r.name])),
    groups: new Map(groups.map((r) => [Number(r.id), r.name])),
  };
}

/** The columns a create or edit writes. */
export interface MailingFields {
  name?: string;
  templateId?: number | null;
  subject?: string | null;
  html?: string | null;
  text?: string | null;
  senderProfileId?: number | null;
  listIds?: number[];
  targetGroupIds?: number[];
  tracking?: boolean;
}

/** Inserts a draft; an original is its own family's root (`rootId` null). */
export async function insertMailing(
  q: Queryable,
  accountId: number,
  f: MailingFields & { name: string },
  family: { rootId: number | null; resendOf: number | null; includeFailed: boolean },
  userId: number,
  now: Date,
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO mailings (account_id, name, template_id, subject, html, text_body, sender_profile_id,
          list_ids, target_group_ids, tracking, root_id, resend_of, include_failed, created_by, created_at, updated_at)
        VALUES (${accountId}, ${f.name}, ${f.templateId ?? null}, ${f.subject ?? null}, ${f.html ?? null},
          ${f.text ?? null}, ${f.senderProfileId ?? null}, ${idArray(f.listIds ?? [])}::bigint[],
          ${idArray(f.targetGroupIds ?? [])}::bigint[], ${f.tracking ?? true},
          ${family.rootId ?? 0}, ${family.resendOf}, ${family.includeFailed}, ${userId}, ${now}, ${now})
        RETURNING id::int AS id`,
  );
  const id = Number(row!.id);
  if (family.rootId === null) await q.execute(sql`UPDATE mailings SET root_id = id WHERE id = ${id}`);
  return id;
}

/** Writes the given columns (undefined: unchanged); `resetPreflight` forgets the last pre-flight. */
export async function updateMailing(
  q: Queryable,
  accountId: number,
  id: number,
  f: MailingFields,
  now: Date,
  extra: SQL[] = [],
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = ${now}`, ...extra];
  if (f.name !== undefined) sets.push(sql`name = ${f.name}`);
  if (f.templateId !== undefined) sets.push(sql`template_id = ${f.templateId}`);
  if (f.subject !== undefined) sets.push(sql`subject = ${f.subject}`);
  if (f.html !== undefined) sets.push(sql`html = ${f.html}`);
  if (f.text !== undefined) sets.push(sql`text_body = ${f.text}`);
  if (f.senderProfileId !== undefined) sets.push(sql`sender_profile_id = ${f.senderProfileId}`);
  if (f.listIds !== undefined) sets.push(sql`list_ids = ${idArray(f.listIds)}::bigint[]`);
  if (f.targetGroupIds !== undefined)
    sets.push(sql`target_group_ids = ${idArray(f.targetGroupIds)}::bigint[]`);
  if (f.tracking !== undefined) sets.push(sql`tracking = ${f.tracking}`);
  await q.execute(
    sql`UPDATE mailings SET ${sql.join(sets, sql`, `)} WHERE account_id = ${accountId} AND id = ${id}`,
  );
}

/** Whether another mailing of the account has this name (case-insensitive). */
export async function nameTaken(
  q: Queryable,
  accountId: number,
  name: string,
  exceptId = 0,
): Promise<boolean> {
  const found = await rows(
    q,
    sql`SELECT 1 FROM mailings WHERE account_id = ${accountId} AND lower(name) = lower(${name}) AND id <> ${exceptId}`,
  );
  return found.length > 0;
}

/** Another mailing of the family whose send runs now (handed over with an action not ended). */
export async function runningInFamily(
  q: Queryable,
  accountId: number,
  rootId: number,
  exceptId: number,
): Promise<number | null> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`SELECT m.id::int AS id FROM mailings m JOIN bulk_actions a ON a.id = m.action_id
        WHERE m.account_id = ${accountId} AND m.root_id = ${rootId} AND m.id <> ${exceptId}
          AND m.status = 'scheduled' AND a.status NOT IN ('completed', 'cancelled', 'failed') LIMIT 1`,
  );
  return row ? Number(row.id) : null;
}

/**
 * What a mailing must still be for its send to start (or for a start's failure to be written):
 * stored `status`, unchanged since `updatedAt` (ISO), no action, not held, active, and with `dueBy` (the
 * scheduler) a slot at or before it.
 */
export interface StartGuard {
  status: 'draft' | 'scheduled';
  updatedAt: string;
  dueBy: Date | null;
}

/** Whether `m` is still as `guard` expects (see StartGuard). */
export function startable(m: MailingRow, guard: StartGuard): boolean {
  return (
    m.stored === guard.status &&
    m.actionId === null &&
    !m.held &&
    m.active &&
    new Date(m.updatedAt).getTime() === new Date(guard.updatedAt).getTime() &&
    (guard.dueBy === null ||
      (m.scheduledFor !== null && new Date(m.scheduledFor).getTime() <= guard.dueBy.getTime()))
  );
}

/**
 * Moves a mailing to `failed` unless it already is: answers the row when this call did it (only
 * then is the failure told), null when it was failed before. With `guard` (a start that cannot
 * happen) only a mailing still as the guard expects is moved.
 */
export async function markFailed(
  q: Queryable,
  accountId: number,
  id: number,
  failure: { reason: string; detail: string | null; recipients: number | null },
  now: Date,
  guard: StartGuard | null = null,
): Promise<{
  id: number;
  name: string;
  listIds: number[];
  targetGroupIds: number[];
  recipients: number | null;
} | null> {
  const [row] = await rows<Record<string, unknown>>(
    q,
    sql`UPDATE mailings SET status = 'failed', failure_reason = ${failure.reason},
          failure_detail = ${failure.detail}, recipients_at_send = coalesce(${failure.recipients}::int, recipients_at_send),
          finished_at = ${now}, updated_at = ${now}
        WHERE account_id = ${accountId} AND id = ${id} AND status <> 'failed'
          ${
            guard
              ? sql`AND status = ${guard.status} AND action_id IS NULL AND NOT held AND active
                  AND date_trunc('milliseconds', updated_at) = ${guard.updatedAt}::timestamptz
                  ${guard.dueBy ? sql`AND scheduled_for <= ${guard.dueBy}` : sql``}`
              : sql``
          }
        RETURNING id::int AS id, name, list_ids::int[] AS "listIds", target_group_ids::int[] AS "targetGroupIds",
          recipients_at_send AS recipients`,
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    name: String(row.name),
    listIds: (row.listIds as unknown[]).map(Number),
    targetGroupIds: (row.targetGroupIds as unknown[]).map(Number),
    recipients: row.recipients === null ? null : Number(row.recipients),
  };
}

/**
 * Scheduled mailings of all accounts, active, not held, without an action, whose slot is at or
 * before `until` (an inactive one keeps its slot and is found again once activated).
 */
export async function dueMailings(
  q: Queryable,
  until: Date,
  preflight: boolean,
): Promise<{ accountId: number; id: number }[]> {
  const found = await rows<{ accountId: number; id: number }>(
    q,
    sql`SELECT account_id::int AS "accountId", id::int AS id FROM mailings
        WHERE status = 'scheduled' AND action_id IS NULL AND active AND NOT held AND scheduled_for <= ${until}
          ${preflight ? sql`AND preflight_at IS NULL` : sql``}
        ORDER BY scheduled_for, id LIMIT 500`,
  );
  return found.map((r) => ({ accountId: Number(r.accountId), id: Number(r.id) }));
}

/** Sets the activation status (not content: version and content hash stay); answers whether it existed. */
export async function setMailingActive(
  q: Queryable,
  accountId: number,
  id: number,
  active: boolean,
  now: Date,
): Promise<boolean> {
  const found = await rows(
    q,
    sql`UPDATE mailings SET active = ${active}, updated_at = ${now}
        WHERE account_id = ${accountId} AND id = ${id} RETURNING id`,
  );
  return found.length > 0;
}
