// The mailings bench's raw baselines: the same sets and figures as hand-written SQL, with the
// account's id inline and no tenant transaction, so each ratio shows what Herald's layers cost.
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../src/server/db/types.ts';

/** The audience of one list × one tag, as the seed made it. */
export interface BareAudience {
  accountId: number;
  listId: number;
  tagId: number;
}

/**
 * Live contacts in the list, with the tag, email consent and a deliverable address (SQL over `c`).
 * No address syntax check: the seed's addresses are valid, and a regex in WHERE makes PostgreSQL
 * estimate a handful of rows and pick a nested-loop anti-join over address_deliverability (6 s
 * instead of 0.1 s at 100,000 contacts), which would flatter Herald's ratio.
 */
function audienceWhere(a: BareAudience): SQL {
  return sql`c.account_id = ${a.accountId} AND c.deleted_at IS NULL
    AND lm.list_id = ${a.listId}
    AND EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ${a.tagId})
    AND c.email_consent = 'subscribed' AND c.email IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM address_deliverability d
                    WHERE d.account_id = ${a.accountId} AND d.channel = 'email'
                      AND d.address = lower(btrim(c.email)) AND d.state IN ('hard_bounced', 'complained'))`;
}

/** Distinct addresses of list ∩ target group ∩ consent (the audience count's baseline). */
export async function bareAudienceCount(db: Db, a: BareAudience): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`SELECT count(DISTINCT lower(btrim(c.email)))::int AS n
        FROM contacts c JOIN list_members lm ON lm.contact_id = c.id
        WHERE ${audienceWhere(a)}`,
  );
  return r!.n;
}

/**
 * The re-send's unreached set, counted: the audience minus every contact and every address the
 * family (`rootId`) already reached (a queued, sent or delivered ledger row, or a hard bounce).
 * The re-send includes the failed and soft-bounced again, so those rows do not exclude.
 */
export async function bareUnreachedCount(db: Db, a: BareAudience, rootId: number): Promise<number> {
  const reached = sql`m.channel = 'email'
    AND (m.status IN ('queued', 'sent', 'delivered') OR (m.status = 'bounced' AND m.bounce_type = 'hard'))`;
  const [r] = await rows<{ n: number }>(
    db,
    sql`WITH family AS (
          SELECT action_id FROM mailings
          WHERE account_id = ${a.accountId} AND root_id = ${rootId} AND action_id IS NOT NULL)
        SELECT count(DISTINCT lower(btrim(c.email)))::int AS n
        FROM contacts c JOIN list_members lm ON lm.contact_id = c.id
        WHERE ${audienceWhere(a)}
          AND NOT EXISTS (SELECT 1 FROM messages m
                          WHERE m.account_id = ${a.accountId} AND m.contact_id = c.id
                            AND m.action_id IN (SELECT action_id FROM family) AND ${reached})
          AND NOT EXISTS (SELECT 1 FROM messages m
                          WHERE m.action_id IN (SELECT action_id FROM family)
                            AND m.address = lower(btrim(c.email)) AND ${reached})`,
  );
  return r!.n;
}

/**
 * The statistics page's figures as bare grouped SQL over one action: ledger rows by status,
 * bounce type and reason; opens and clicks (unique and total) per link; and per hour sent,
 * delivered, bounced, opens and clicks; the family's (`rootId`) reached contacts. Returns the
 * number of ledger rows it grouped.
 */
export async function bareStatistics(
  db: Db,
  accountId: number,
  actionId: number,
  rootId: number,
): Promise<number> {
  const ledger = await rows<{ n: number }>(
    db,
    sql`SELECT status, bounce_type, reason, count(*)::int AS n, bool_or(complained) AS complained
        FROM messages WHERE action_id = ${actionId} GROUP BY status, bounce_type, reason`,
  );
  await rows(
    db,
    sql`SELECT kind, url, count(*)::int AS "unique", sum(hits)::int AS total
        FROM tracking_events WHERE action_id = ${actionId} GROUP BY kind, url`,
  );
  await rows(
    db,
    sql`SELECT at, sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(bounced)::int AS bounced,
               sum(opens)::int AS opens, sum(clicks)::int AS clicks
        FROM (
          SELECT date_trunc('hour', sent_at) AS at, count(*) AS sent,
                 count(*) FILTER (WHERE status = 'delivered') AS delivered,
                 count(*) FILTER (WHERE status = 'bounced') AS bounced, 0 AS opens, 0 AS clicks
          FROM messages WHERE action_id = ${actionId} AND sent_at IS NOT NULL GROUP BY 1
          UNION ALL
          SELECT date_trunc('hour', first_at), 0, 0, 0,
                 count(*) FILTER (WHERE kind = 'open'), count(*) FILTER (WHERE kind = 'click')
          FROM tracking_events WHERE action_id = ${actionId} GROUP BY 1) t
        GROUP BY at ORDER BY at`,
  );
  await rows(
    db,
    sql`SELECT count(DISTINCT m.contact_id)::int AS n
        FROM mailings f JOIN messages m ON m.action_id = f.action_id
        WHERE f.account_id = ${accountId} AND f.root_id = ${rootId} AND m.status IN ('sent', 'delivered')`,
  );
  return ledger.reduce((sum, r) => sum + r.n, 0);
}

/** Ledger rows of one action by status (the send's check: every recipient was attempted). */
export async function ledgerByStatus(db: Db, actionId: number): Promise<Record<string, number>> {
  const found = await rows<{ status: string; n: number }>(
    db,
    sql`SELECT status, count(*)::int AS n FROM messages WHERE action_id = ${actionId} GROUP BY status`,
  );
  return Object.fromEntries(found.map((r) => [r.status, r.n]));
}
