// SQL of a mailing's email statistics: the mailing and its family, opens and clicks from
// `tracking_events`, unsubscribes from `opt_outs`, the hourly timeline, and the recipient pages the
// ledger's own page (ledger.repo.ts) cannot give (opened / clicked / unsubscribed). Everything is
// grouped in SQL over the action's indexes; no ledger or event rows are pulled into JS.
import { sql } from 'drizzle-orm';
import { isoTime, rows, type Queryable } from '../../db/types.ts';
import type { MailingStatus } from '../../../shared/mailings.ts';
import type { LedgerPageRow } from '../messaging/ledger.repo.ts';
import type { LedgerGroup } from '../messaging/delivery-results.ts';
import type { MessageStatus } from '../../../shared/messaging.ts';
// One status expression for the whole API (over `m` mailings and `a` its action): the mailings module's.
import { apiStatus } from '../mailings/mailings.repo.ts';

/** The mailing a statistics request names (its status as the API shows it). */
export interface MailingStatsRow {
  id: number;
  name: string;
  status: MailingStatus;
  rootId: number;
  actionId: number | null;
  recipientsAtSend: number | null;
  tracking: boolean;
}

/** The mailing `id` of the account, or undefined. */
export async function findMailing(
  q: Queryable,
  accountId: number,
  id: number,
): Promise<MailingStatsRow | undefined> {
  const [row] = await rows<Record<string, unknown>>(
    q,
    sql`SELECT m.id, m.name, ${apiStatus} AS status, m.root_id AS "rootId", m.action_id AS "actionId",
          m.recipients_at_send AS "recipientsAtSend", m.tracking
        FROM mailings m LEFT JOIN bulk_actions a ON a.account_id = m.account_id AND a.id = m.action_id
        WHERE m.account_id = ${accountId} AND m.id = ${id}`,
  );
  if (!row) return undefined;
  return {
    id: Number(row.id),
    name: row.name as string,
    status: row.status as MailingStatus,
    rootId: Number(row.rootId),
    actionId: row.actionId === null ? null : Number(row.actionId),
    recipientsAtSend: row.recipientsAtSend === null ? null : Number(row.recipientsAtSend),
    tracking: Boolean(row.tracking),
  };
}

/** The mailings of a family (original first, then the re-sends in order), with their actions. */
export async function familyOf(
  q: Queryable,
  accountId: number,
  rootId: number,
): Promise<{ id: number; name: string; status: MailingStatus; actionId: number | null }[]> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT m.id, m.name, ${apiStatus} AS status, m.action_id AS "actionId"
        FROM mailings m LEFT JOIN bulk_actions a ON a.account_id = m.account_id AND a.id = m.action_id
        WHERE m.account_id = ${accountId} AND m.root_id = ${rootId}
        ORDER BY m.id`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    name: r.name as string,
    status: r.status as MailingStatus,
    actionId: r.actionId === null ? null : Number(r.actionId),
  }));
}

/** Distinct contacts with a sent or delivered ledger row in any of `actionIds` (a family's reach). */
export async function reachedContacts(
  q: Queryable,
  accountId: number,
  actionIds: readonly number[],
): Promise<number> {
  if (actionIds.length === 0) return 0;
  const [row] = await rows<{ n: number }>(
    q,
    sql`SELECT count(DISTINCT contact_id)::int AS n FROM messages
        WHERE account_id = ${accountId} AND action_id = ANY(${`{${actionIds.join(',')}}`}::bigint[])
          AND status IN ('sent', 'delivered')`,
  );
  return Number(row?.n ?? 0);
}

/** One hour of the timeline (UTC hour start, ISO). */
export interface TimelineBucket {
  at: string;
  sent: number;
  delivered: number;
  bounced: number;
  opens: number;
  clicks: number;
}
type HourCounts = Map<number, Partial<Omit<TimelineBucket, 'at'>>>;

/**
 * The hour (hours since the Unix epoch, so UTC whatever the session's time zone) of a timestamp
 * column, as SQL: cheaper per row than date_trunc with a zone, and the same buckets.
 */
const hourOf = (column: ReturnType<typeof sql>) => sql`floor(date_part('epoch', ${column}) / 3600)::int`;

const addHour = (hours: HourCounts, hour: unknown, kind: keyof Omit<TimelineBucket, 'at'>, n: number) => {
  if (hour === null || hour === undefined) return;
  const h = Number(hour);
  const counts = hours.get(h) ?? {};
  counts[kind] = (counts[kind] ?? 0) + n;
  hours.set(h, counts);
};

/**
 * The action's ledger in one pass (the statistics' hot path: one scan of its rows into one hash
 * table, cheaper than grouping sets' one table per set): groups by status, bounce type, reason and
 * the hours it was sent (sent_at), delivered (delivered_at) and bounced (the bounce event's time,
 * else the row's last change), folded here into the status groups (as `ledgerGroups` reads them)
 * and the hour counts. The groups are few: the hours of one row are close together, and only
 * unsent rows carry reasons.
 */
export async function ledgerFigures(
  q: Queryable,
  accountId: number,
  actionId: number,
): Promise<{ groups: LedgerGroup[]; hours: HourCounts }> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT status, bounce_type AS "bounceType", reason, ${hourOf(sql`sent_at`)} AS "sentHour",
          ${hourOf(sql`delivered_at`)} AS "deliveredHour",
          CASE WHEN status = 'bounced' THEN ${hourOf(sql`coalesce(event_at, updated_at)`)} END AS "bouncedHour",
          count(*)::int AS count, count(*) FILTER (WHERE complained)::int AS complained
        FROM messages WHERE account_id = ${accountId} AND action_id = ${actionId}
        GROUP BY 1, 2, 3, 4, 5, 6`,
  );
  const groups = new Map<string, LedgerGroup>();
  const hours: HourCounts = new Map();
  for (const r of found) {
    const n = Number(r.count);
    const status = r.status as MessageStatus;
    const bounceType = (r.bounceType as 'hard' | 'soft' | null) ?? null;
    const reason = (r.reason as string | null) ?? null;
    const key = JSON.stringify([status, bounceType, reason]);
    const group = groups.get(key) ?? { status, bounceType, reason, count: 0, complained: 0 };
    group.count += n;
    group.complained += Number(r.complained);
    groups.set(key, group);
    addHour(hours, r.sentHour, 'sent', n);
    addHour(hours, r.deliveredHour, 'delivered', n);
    addHour(hours, r.bouncedHour, 'bounced', n);
  }
  return { groups: [...groups.values()], hours };
}

/** Opens and clicks of an action: recipients (unique) and hits (total), and clicks per link. */
export interface TrackingTotals {
  opens: { unique: number; total: number };
  clicks: { unique: number; total: number; links: { url: string; unique: number; total: number }[] };
}

/**
 * Opens and clicks of `actionId` and their first times per hour. An open is one row per message
 * (repeats raise `hits`), so unique opens are rows; a click is one row per (message, link), so a
 * link's unique clicks are rows and all unique clicks are distinct messages.
 */
export async function trackingFigures(
  q: Queryable,
  accountId: number,
  actionId: number,
): Promise<{ totals: TrackingTotals; hours: HourCounts }> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT kind, GROUPING(url) = 0 AS "byUrl", url, hour, count(*)::int AS rows, coalesce(sum(hits), 0)::int AS hits
        FROM (SELECT kind, url, hits, ${hourOf(sql`first_at`)} AS hour FROM tracking_events
              WHERE account_id = ${accountId} AND action_id = ${actionId}) t
        GROUP BY GROUPING SETS ((kind, url), (kind, hour))`,
  );
  const [clickers] = await rows<{ n: number }>(
    q,
    sql`SELECT count(DISTINCT message_id)::int AS n FROM tracking_events
        WHERE account_id = ${accountId} AND action_id = ${actionId} AND kind = 'click'`,
  );
  const totals: TrackingTotals = {
    opens: { unique: 0, total: 0 },
    clicks: { unique: Number(clickers?.n ?? 0), total: 0, links: [] },
  };
  const hours: HourCounts = new Map();
  for (const r of found) {
    const figure = { unique: Number(r.rows), total: Number(r.hits) };
    if (!r.byUrl) {
      addHour(hours, r.hour, r.kind === 'open' ? 'opens' : 'clicks', figure.unique);
    } else if (r.kind === 'open') {
      totals.opens.unique += figure.unique;
      totals.opens.total += figure.total;
    } else {
      totals.clicks.total += figure.total;
      totals.clicks.links.push({ url: r.url as string, ...figure });
    }
  }
  totals.clicks.links.sort((a, b) => b.unique - a.unique || b.total - a.total || a.url.localeCompare(b.url));
  return { totals, hours };
}

/** Distinct contacts who unsubscribed through a link in a message of `actionId`. */
export async function unsubscribedCount(q: Queryable, accountId: number, actionId: number): Promise<number> {
  const [row] = await rows<{ n: number }>(
    q,
    sql`SELECT count(DISTINCT o.contact_id)::int AS n
        FROM opt_outs o JOIN messages m ON m.id = o.message_id
        WHERE o.account_id = ${accountId} AND m.account_id = ${accountId} AND m.action_id = ${actionId}`,
  );
  return Number(row?.n ?? 0);
}

/** Hour counts of the ledger and of tracking merged into the timeline, in time order. */
export function timelineOf(...parts: HourCounts[]): TimelineBucket[] {
  const byHour = new Map<number, TimelineBucket>();
  for (const part of parts) {
    for (const [hour, counts] of part) {
      const bucket = byHour.get(hour) ?? {
        at: new Date(hour * 3_600_000).toISOString(),
        sent: 0,
        delivered: 0,
        bounced: 0,
        opens: 0,
        clicks: 0,
      };
      for (const [kind, n] of Object.entries(counts) as [keyof Omit<TimelineBucket, 'at'>, number][]) {
        bucket[kind] += n;
      }
      byHour.set(hour, bucket);
    }
  }
  return [...byHour.entries()].sort(([a], [b]) => a - b).map(([, bucket]) => bucket);
}

/** Recipient pages by tracking state (the ledger states are `ledgerPage`'s). */
export type TrackingState = 'opened' | 'clicked' | 'unsubscribed';

const stateFilter = (state: TrackingState) =>
  state === 'unsubscribed'
    ? sql`EXISTS (SELECT 1 FROM opt_outs o WHERE o.message_id = m.id AND o.account_id = m.account_id)`
    : sql`EXISTS (SELECT 1 FROM tracking_events t WHERE t.message_id = m.id AND t.account_id = m.account_id
                   AND t.kind = ${state === 'opened' ? 'open' : 'click'})`;

/**
 * One keyset page (id order, `limit + 1` rows) of the action's ledger rows that opened, clicked or
 * unsubscribed; the same rows `ledgerPage` reads.
 */
export async function trackingStatePage(
  q: Queryable,
  accountId: number,
  actionId: number,
  page: { state: TrackingState; afterId: number; limit: number },
): Promise<LedgerPageRow[]> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT m.id, m.contact_id AS "contactId", m.address, m.status, m.bounce_type AS "bounceType", m.reason,
          m.detail, m.sent_at AS "sentAt", m.delivered_at AS "deliveredAt"
        FROM messages m
        WHERE m.account_id = ${accountId} AND m.action_id = ${actionId} AND m.id > ${page.afterId}
          AND ${stateFilter(page.state)}
        ORDER BY m.id LIMIT ${page.limit + 1}`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    contactId: Number(r.contactId),
    address: (r.address as string | null) ?? null,
    status: r.status as LedgerPageRow['status'],
    bounceType: (r.bounceType as 'hard' | 'soft' | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    detail: (r.detail as string | null) ?? null,
    sentAt: r.sentAt ? isoTime(r.sentAt as Date | string) : null,
    deliveredAt: r.deliveredAt ? isoTime(r.deliveredAt as Date | string) : null,
  }));
}

/** What tracking knows of one message: first open, clicks (all hits), unsubscribed through it. */
export interface MessageTracking {
  openedAt: string | null;
  clicks: number;
  unsubscribed: boolean;
}

/** Tracking facts of the given ledger rows (one statement for a page), by ledger id. */
export async function trackingOfMessages(
  q: Queryable,
  accountId: number,
  messageIds: readonly number[],
): Promise<Map<number, MessageTracking>> {
  if (messageIds.length === 0) return new Map();
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT ids.id,
          (SELECT min(t.first_at) FROM tracking_events t
            WHERE t.message_id = ids.id AND t.account_id = ${accountId} AND t.kind = 'open') AS "openedAt",
          (SELECT coalesce(sum(t.hits), 0)::int FROM tracking_events t
            WHERE t.message_id = ids.id AND t.account_id = ${accountId} AND t.kind = 'click') AS clicks,
          EXISTS (SELECT 1 FROM opt_outs o WHERE o.message_id = ids.id AND o.account_id = ${accountId}) AS unsubscribed
        FROM unnest(${`{${messageIds.join(',')}}`}::bigint[]) AS ids(id)`,
  );
  return new Map(
    found.map((r) => [
      Number(r.id),
      {
        openedAt: r.openedAt ? isoTime(r.openedAt as Date | string) : null,
        clicks: Number(r.clicks),
        unsubscribed: Boolean(r.unsubscribed),
      },
    ]),
  );
}
