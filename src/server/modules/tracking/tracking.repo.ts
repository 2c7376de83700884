// The SQL of open and click tracking: one upsert per hit into `tracking_events` (one row per
// message, kind and link; a repeat raises `hits`), and the counts per action that the statistics
// read. Every statement names the account; callers run them in withTenant.
import { sql } from 'drizzle-orm';
import type { AccountId } from '../../db/tenant.ts';
import { rows, type Queryable } from '../../db/types.ts';

/** A tracked hit: an open (url '') or a click on `url`, of the ledger row `messageId`. */
export interface TrackingHit {
  messageId: number;
  kind: 'open' | 'click';
  /** The clicked link as sent ('' for an open). */
  url: string;
  at: Date;
}

/**
 * Records one hit of a message of `accountId`: a new row (hits 1), or `hits + 1` and `last_at` on
 * the existing one. Account, action and contact come from the ledger row; an unknown message (or
 * one of another account) records nothing. Answers whether a row was written.
 */
export async function recordHit(q: Queryable, accountId: AccountId, hit: TrackingHit): Promise<boolean> {
  const at = hit.at.toISOString();
  const written = await rows<{ id: number }>(
    q,
    sql`INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits, first_at, last_at)
        SELECT m.account_id, m.action_id, m.id, m.contact_id, ${hit.kind}, ${hit.url}, 1,
               ${at}::timestamptz, ${at}::timestamptz
        FROM messages m WHERE m.id = ${hit.messageId} AND m.account_id = ${accountId}
        ON CONFLICT (message_id, kind, url) DO UPDATE
          SET hits = tracking_events.hits + 1,
              last_at = greatest(tracking_events.last_at, EXCLUDED.last_at)
        RETURNING id`,
  );
  return written.length > 0;
}

/**
 * Records that a message was opened unless an open is recorded already (a click implies an open:
 * clients that block images still click). Counts as one open when it is the first.
 */
export async function recordImpliedOpen(
  q: Queryable,
  accountId: AccountId,
  messageId: number,
  at: Date,
): Promise<void> {
  const when = at.toISOString();
  await q.execute(
    sql`INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits, first_at, last_at)
        SELECT m.account_id, m.action_id, m.id, m.contact_id, 'open', '', 1, ${when}::timestamptz, ${when}::timestamptz
        FROM messages m WHERE m.id = ${messageId} AND m.account_id = ${accountId}
        ON CONFLICT (message_id, kind, url) DO NOTHING`,
  );
}

/** Opens and clicks of one send: unique = recipients (ledger rows), total = hits. */
export interface TrackingCounts {
  opens: { unique: number; total: number };
  clicks: {
    unique: number;
    total: number;
    /** Per link as sent, most clicked (by recipients) first, at most `linkLimit`. */
    links: { url: string; unique: number; total: number }[];
  };
}

/**
 * The open and click counts of the bulk action `actionId` in `accountId` (two statements on
 * `tracking_events_action_idx`). A recipient who opened three times is one unique open and three
 * total; a recipient who clicked two links is one unique click and a unique click of each link.
 */
export async function trackingCounts(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  linkLimit = 100,
): Promise<TrackingCounts> {
  const [totals] = await rows<{
    opens: number;
    openHits: number;
    clicks: number;
    clickHits: number;
  }>(
    q,
    sql`SELECT count(*) FILTER (WHERE kind = 'open')::int AS opens,
               coalesce(sum(hits) FILTER (WHERE kind = 'open'), 0)::int AS "openHits",
               count(DISTINCT message_id) FILTER (WHERE kind = 'click')::int AS clicks,
               coalesce(sum(hits) FILTER (WHERE kind = 'click'), 0)::int AS "clickHits"
        FROM tracking_events WHERE account_id = ${accountId} AND action_id = ${actionId}`,
  );
  const links = await rows<{ url: string; unique: number; total: number }>(
    q,
    sql`SELECT url, count(*)::int AS "unique", sum(hits)::int AS total
        FROM tracking_events WHERE account_id = ${accountId} AND action_id = ${actionId} AND kind = 'click'
        GROUP BY url ORDER BY count(*) DESC, url LIMIT ${linkLimit}`,
  );
  return {
    opens: { unique: Number(totals?.opens ?? 0), total: Number(totals?.openHits ?? 0) },
    clicks: {
      unique: Number(totals?.clicks ?? 0),
      total: Number(totals?.clickHits ?? 0),
      links: links.map((l) => ({ url: l.url, unique: Number(l.unique), total: Number(l.total) })),
    },
  };
}
