// The send ledger (`messages`): one row per (action, contact, channel). Written queued or skipped in
// the chunk that plans the send, moved to sent / failed / bounced / cancelled when its delivery is
// final (never backwards: a provider callback may have arrived first), read for delivery results
// and the recipient table. All SQL of the ledger is here, set-based.
import { sql, type SQL } from 'drizzle-orm';
import { rows, isoTime, type Queryable } from '../../db/types.ts';
import {
  MESSAGE_STATUS_RANK,
  MESSAGE_STATUSES,
  type Channel,
  type MessageStatus,
} from '../../../shared/messaging.ts';

const idArray = (ids: readonly number[]) => `{${ids.join(',')}}`;

/** Valid enough to hand to an SMTP server: one @, no spaces, a dot in the domain. */
export const EMAIL_SYNTAX = '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$';
/** E.164: +, country code, up to 15 digits. */
export const PHONE_SYNTAX = '^\\+[1-9][0-9]{6,14}$';

/** The address a channel sends to, as SQL over contacts `c`. */
export const addressOf = (channel: Channel): SQL =>
  channel === 'email' ? sql`lower(btrim(c.email))` : sql`btrim(c.phone)`;

/**
 * Why a live contact `c` would be skipped for `channel`, or NULL when it can be sent to (SQL).
 * Order: consent, address, syntax, deliverability ('bounced' consent counts as undeliverable).
 */
export function skipReasonOf(channel: Channel, accountId: number): SQL {
  const consent = channel === 'email' ? sql`c.email_consent` : sql`c.sms_consent`;
  const address = addressOf(channel);
  const syntax = channel === 'email' ? EMAIL_SYNTAX : PHONE_SYNTAX;
  return sql`CASE
    WHEN ${consent} = 'unsubscribed' THEN 'no_consent'
    WHEN ${address} IS NULL OR ${address} = '' THEN 'no_address'
    WHEN ${address} !~ ${syntax} THEN 'invalid_address'
    WHEN ${consent} = 'bounced' THEN 'undeliverable'
    WHEN EXISTS (SELECT 1 FROM address_deliverability d
                 WHERE d.account_id = ${accountId} AND d.channel = ${channel} AND d.address = ${address}
                   AND d.state IN ('hard_bounced', 'complained')) THEN 'undeliverable'
    WHEN ${consent} <> 'subscribed' THEN 'no_consent'
    ELSE NULL END`;
}

/**
 * Whether a live contact can be sent to by email: exactly `skipReasonOf('email', accountId) IS NULL`,
 * written as a chain that checks the consent first and each part once, over an address computed
 * once by the caller (`address`: `lower(btrim(email))` of the contact; `consent`: its email consent).
 * For counts over many contacts (a mailing's audience), where the CASE's repeated address
 * expressions cost more than the rest of the statement.
 */
export function emailSendable(accountId: number, consent: SQL, address: SQL): SQL {
  return sql`(${consent} = 'subscribed' AND ${address} <> '' AND ${address} ~ ${EMAIL_SYNTAX}
    AND NOT EXISTS (SELECT 1 FROM address_deliverability d
                    WHERE d.account_id = ${accountId} AND d.channel = 'email' AND d.address = ${address}
                      AND d.state IN ('hard_bounced', 'complained')))`;
}

/** One subject of a chunk, as the chunk's single read finds it. */
export interface RecipientRow {
  contactId: number;
  live: boolean;
  address: string | null;
  /** Why it is skipped (NULL: sendable), before the duplicate check. */
  skip: string | null;
  /** Another contact of this action already has a ledger row (not skipped) for the address. */
  earlier: boolean;
}

/** The chunk's read: every subject with its contact, consent, address and deliverability. */
export async function readRecipients(
  q: Queryable,
  target: { accountId: number; actionId: number; channel: Channel },
  contactIds: readonly number[],
): Promise<RecipientRow[]> {
  const { accountId, actionId, channel } = target;
  const address = addressOf(channel);
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT s.id AS "contactId", c.id IS NOT NULL AS live, ${address} AS address,
          ${skipReasonOf(channel, accountId)} AS skip
        FROM unnest(${idArray(contactIds)}::bigint[]) WITH ORDINALITY AS s(id, ord)
        LEFT JOIN contacts c ON c.account_id = ${accountId} AND c.id = s.id AND c.deleted_at IS NULL
        ORDER BY s.ord`,
  );
  // Addresses that already have a message in this action (one statement for the chunk, not a
  // probe per row: its plan must not depend on statistics of a ledger that grows while it runs).
  const addresses = [...new Set(found.map((r) => r.address as string | null).filter((a) => a !== null))];
  const taken = new Map<string, Set<number>>();
  if (addresses.length) {
    const earlier = await rows<{ address: string; contactId: number }>(
      q,
      sql`SELECT address, contact_id AS "contactId" FROM messages
          WHERE action_id = ${actionId} AND channel = ${channel} AND status <> 'skipped'
            AND address = ANY(${textArray(addresses)}::text[])`,
    );
    for (const e of earlier) {
      const set = taken.get(e.address) ?? new Set<number>();
      set.add(Number(e.contactId));
      taken.set(e.address, set);
    }
  }
  return found.map((r) => {
    const contactId = Number(r.contactId);
    const address = (r.address as string | null) ?? null;
    const holders = address === null ? undefined : taken.get(address);
    return {
      contactId,
      live: Boolean(r.live),
      address,
      skip: (r.skip as string | null) ?? null,
      earlier: holders !== undefined && [...holders].some((c) => c !== contactId),
    };
  });
}

/** A PostgreSQL text[] literal (every element quoted, so any text is safe). */
const textArray = (items: readonly string[]): string =>
  `{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** A ledger row the chunk writes. */
export interface NewLedgerRow {
  contactId: number;
  seq: number;
  address: string | null;
  status: 'queued' | 'skipped';
  reason: string | null;
  messageId: string | null;
}

/**
 * Writes the chunk's ledger rows (one statement); a row that exists already (a repeated chunk) is
 * kept as it is. Returns the ledger id per contact, of new and existing rows alike.
 */
export async function insertLedgerRows(
  q: Queryable,
  target: { accountId: number; actionId: number; channel: Channel },
  items: readonly NewLedgerRow[],
  now: Date,
): Promise<Map<number, number>> {
  if (items.length === 0) return new Map();
  const payload = JSON.stringify(
    items.map((i) => ({
      contact_id: i.contactId,
      seq: i.seq,
      address: i.address,
      status: i.status,
      reason: i.reason,
      message_id: i.messageId,
    })),
  );
  const at = now.toISOString();
  const written = await rows<{ id: number; contact_id: number }>(
    q,
    sql`INSERT INTO messages (account_id, action_id, contact_id, channel, seq, address, status, reason, message_id,
                              queued_at, updated_at)
        SELECT ${target.accountId}, ${target.actionId}, r.contact_id, ${target.channel}, r.seq, r.address, r.status,
               r.reason, r.message_id, ${at}::timestamptz, ${at}::timestamptz
        FROM jsonb_to_recordset(${payload}::jsonb)
          AS r(contact_id bigint, seq integer, address text, status text, reason text, message_id text)
        ON CONFLICT (action_id, contact_id, channel) DO UPDATE SET updated_at = messages.updated_at
        RETURNING id, contact_id`,
  );
  return new Map(written.map((r) => [Number(r.contact_id), Number(r.id)]));
}

/** `MESSAGE_STATUS_RANK` of the column `status`, as SQL. */
const rankOfStatus = sql.raw(
  `CASE status ${MESSAGE_STATUSES.map((s) => `WHEN '${s}' THEN ${MESSAGE_STATUS_RANK[s]}`).join(' ')} END`,
);

/** What a final delivery means for its ledger row. */
export interface LedgerOutcome {
  status: Extract<MessageStatus, 'sent' | 'failed' | 'bounced' | 'cancelled'>;
  bounceType?: 'hard' | 'soft' | null;
  reason?: string | null;
  detail?: string | null;
  providerMessageId?: string | null;
  segments?: number | null;
}

/**
 * Moves a ledger row to a delivery's final outcome, only forward: from queued, or from a state of
 * lower rank (a status callback that came first keeps its `delivered`; the send's own facts, its
 * time and provider id, are still filled in). Returns the address when the row moved.
 */
export async function settleLedgerRow(
  q: Queryable,
  accountId: number,
  ledgerId: number,
  outcome: LedgerOutcome,
  now: Date,
): Promise<{ address: string | null; channel: Channel } | undefined> {
  const at = now.toISOString();
  const rank = MESSAGE_STATUS_RANK[outcome.status];
  const sent = outcome.status === 'sent';
  const [moved] = await rows<{ address: string | null; channel: Channel }>(
    q,
    sql`UPDATE messages SET status = ${outcome.status}, bounce_type = ${outcome.bounceType ?? null},
          reason = ${outcome.reason ?? null}, detail = ${outcome.detail?.slice(0, 2000) ?? null},
          sent_at = ${sent ? sql`coalesce(sent_at, ${at}::timestamptz)` : sql`sent_at`},
          provider_message_id = coalesce(provider_message_id, ${outcome.providerMessageId ?? null}),
          segments = coalesce(${outcome.segments ?? null}::int, segments),
          updated_at = ${at}::timestamptz
        WHERE id = ${ledgerId} AND account_id = ${accountId}
          AND (status = 'queued' OR (${rankOfStatus} < ${rank} AND status NOT IN ('skipped', 'cancelled')))
        RETURNING address, channel`,
  );
  if (!moved && sent) {
    await q.execute(sql`UPDATE messages SET sent_at = coalesce(sent_at, ${at}::timestamptz),
          provider_message_id = coalesce(provider_message_id, ${outcome.providerMessageId ?? null}),
          segments = coalesce(segments, ${outcome.segments ?? null}::int)
        WHERE id = ${ledgerId} AND account_id = ${accountId}`);
  }
  return moved;
}

/**
 * Many sends accepted (the common case), in one statement: queued rows become sent; rows a status
 * callback already moved on keep their state and get the send's time and provider id.
 */
export async function markSent(
  q: Queryable,
  sent: readonly {
    accountId: number;
    ledgerId: number;
    providerMessageId: string | null;
    segments: number | null;
    detail: string | null;
  }[],
  now: Date,
): Promise<void> {
  if (sent.length === 0) return;
  const payload = JSON.stringify(
    sent.map((s) => ({
      a: s.accountId,
      id: s.ledgerId,
      pid: s.providerMessageId,
      seg: s.segments,
      detail: s.detail,
    })),
  );
  const at = now.toISOString();
  await q.execute(sql`UPDATE messages m SET
        status = CASE WHEN m.status = 'queued' THEN 'sent' ELSE m.status END,
        detail = CASE WHEN m.status = 'queued' THEN r.detail ELSE m.detail END,
        sent_at = coalesce(m.sent_at, ${at}::timestamptz),
        provider_message_id = coalesce(m.provider_message_id, r.pid),
        segments = coalesce(m.segments, r.seg),
        updated_at = ${at}::timestamptz
      FROM jsonb_to_recordset(${payload}::jsonb) AS r(a bigint, id bigint, pid text, seg int, detail text)
      WHERE m.id = r.id AND m.account_id = r.a AND m.status NOT IN ('skipped', 'cancelled')`);
}

/**
 * After a cancel: the ledger rows whose deliveries were cancelled before they were claimed become
 * `cancelled` (rows in flight stay queued until their send's result arrives).
 */
export async function cancelQueuedOfAction(q: Queryable, accountId: number, actionId: number, now: Date) {
  await q.execute(sql`UPDATE messages m SET status = 'cancelled', reason = 'cancelled',
        updated_at = ${now.toISOString()}::timestamptz
      FROM deliveries d
      WHERE d.action_id = ${actionId} AND d.account_id = ${accountId} AND d.status = 'cancelled'
        AND m.id = (d.subject->>'m')::bigint AND m.account_id = ${accountId} AND m.status = 'queued'`);
}

/** Ledger counts of an action by status, bounce type and reason. */
export async function ledgerGroups(
  q: Queryable,
  accountId: number,
  actionId: number,
): Promise<
  {
    status: MessageStatus;
    bounceType: 'hard' | 'soft' | null;
    reason: string | null;
    count: number;
    complained: number;
  }[]
> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT status, bounce_type AS "bounceType", reason, count(*)::int AS count,
          count(*) FILTER (WHERE complained)::int AS complained
        FROM messages WHERE account_id = ${accountId} AND action_id = ${actionId}
        GROUP BY status, bounce_type, reason`,
  );
  return found.map((r) => ({
    status: r.status as MessageStatus,
    bounceType: (r.bounceType as 'hard' | 'soft' | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    count: Number(r.count),
    complained: Number(r.complained),
  }));
}

export interface LedgerPageRow {
  id: number;
  contactId: number;
  address: string | null;
  status: MessageStatus;
  bounceType: 'hard' | 'soft' | null;
  reason: string | null;
  detail: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
}

/** One keyset page of an action's ledger rows in id order (`limit + 1` rows: the last says there is more). */
export async function ledgerPage(
  q: Queryable,
  accountId: number,
  actionId: number,
  page: { status?: MessageStatus | undefined; afterId: number; limit: number },
): Promise<LedgerPageRow[]> {
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT id, contact_id AS "contactId", address, status, bounce_type AS "bounceType", reason, detail,
          sent_at AS "sentAt", delivered_at AS "deliveredAt"
        FROM messages
        WHERE account_id = ${accountId} AND action_id = ${actionId} AND id > ${page.afterId}
          ${page.status ? sql`AND status = ${page.status}` : sql``}
        ORDER BY id LIMIT ${page.limit + 1}`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    contactId: Number(r.contactId),
    address: (r.address as string | null) ?? null,
    status: r.status as MessageStatus,
    bounceType: (r.bounceType as 'hard' | 'soft' | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    detail: (r.detail as string | null) ?? null,
    sentAt: r.sentAt ? isoTime(r.sentAt as Date | string) : null,
    deliveredAt: r.deliveredAt ? isoTime(r.deliveredAt as Date | string) : null,
  }));
}
