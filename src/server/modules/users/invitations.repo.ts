import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';

export type EmailStatus = 'pending' | 'sent' | 'outboxed' | 'failed';

export interface InvitationRow {
  id: number;
  accountId: number;
  email: string;
  role: string;
  language: 'en' | 'de' | null;
  invitedBy: number | null;
  createdAt: Date | string;
  expiresAt: Date | string;
  emailStatus: EmailStatus;
}

/** An invitation with what its invitee is shown: the account's and the inviter's names. */
export interface InvitationView extends InvitationRow {
  accountName: string;
  invitedByName: string | null;
}

const COLUMNS = sql`i.id, i.account_id AS "accountId", i.email, i.role, i.language, i.invited_by AS "invitedBy",
  i.created_at AS "createdAt", i.expires_at AS "expiresAt", i.email_status AS "emailStatus"`;
const VIEW = sql`${COLUMNS}, a.name AS "accountName", u.name AS "invitedByName"
  FROM invitations i JOIN accounts a ON a.id = i.account_id LEFT JOIN users u ON u.id = i.invited_by`;

/** Creates the account's invitation for an address, or replaces the pending one (new token, role, expiry). */
export async function upsertInvitation(
  q: Queryable,
  inv: {
    accountId: AccountId;
    email: string;
    role: string;
    language: 'en' | 'de' | null;
    tokenHash: string;
    invitedBy: number;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<InvitationRow> {
  const [row] = await rows<InvitationRow>(
    q,
    sql`INSERT INTO invitations AS i (account_id, email, role, language, token_hash, invited_by, created_at, expires_at)
        VALUES (${inv.accountId}, ${inv.email}, ${inv.role}, ${inv.language}, ${inv.tokenHash}, ${inv.invitedBy},
                ${inv.createdAt.toISOString()}::timestamptz, ${inv.expiresAt.toISOString()}::timestamptz)
        ON CONFLICT (account_id, lower(email)) DO UPDATE SET
          email = excluded.email, role = excluded.role, language = excluded.language,
          token_hash = excluded.token_hash, invited_by = excluded.invited_by, created_at = excluded.created_at,
          expires_at = excluded.expires_at, email_status = 'pending'
        RETURNING ${COLUMNS}`,
  );
  return row!;
}

export async function setEmailStatus(q: Queryable, id: number, status: EmailStatus): Promise<void> {
  await q.execute(sql`UPDATE invitations SET email_status = ${status} WHERE id = ${id}`);
}

/** The account's pending invitations (run inside withTenant), newest first. */
export async function listInvitations(
  q: Queryable,
  accountId: AccountId,
  now: Date,
): Promise<InvitationRow[]> {
  return rows<InvitationRow>(
    q,
    sql`SELECT ${COLUMNS} FROM invitations i
        WHERE i.account_id = ${accountId} AND i.expires_at > ${now.toISOString()}::timestamptz
        ORDER BY i.created_at DESC, i.id DESC`,
  );
}

export async function deleteInvitation(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const deleted = await rows<{ id: number }>(
    q,
    sql`DELETE FROM invitations WHERE account_id = ${accountId} AND id = ${id} RETURNING id`,
  );
  return deleted.length > 0;
}

/** The pending, unexpired invitation a link's token belongs to. */
export async function findByTokenHash(
  q: Queryable,
  tokenHash: string,
  now: Date,
): Promise<InvitationView | undefined> {
  const [row] = await rows<InvitationView>(
    q,
    sql`SELECT ${VIEW} WHERE i.token_hash = ${tokenHash} AND i.expires_at > ${now.toISOString()}::timestamptz`,
  );
  return row;
}

/** Pending invitations addressed to one email (the logged-in user's), across accounts. */
export async function listForEmail(q: Queryable, email: string, now: Date): Promise<InvitationView[]> {
  return rows<InvitationView>(
    q,
    sql`SELECT ${VIEW} WHERE lower(i.email) = lower(${email}) AND i.expires_at > ${now.toISOString()}::timestamptz
        ORDER BY i.created_at DESC, i.id DESC`,
  );
}

export async function findForEmail(
  q: Queryable,
  id: number,
  email: string,
  now: Date,
): Promise<InvitationView | undefined> {
  const [row] = await rows<InvitationView>(
    q,
    sql`SELECT ${VIEW} WHERE i.id = ${id} AND lower(i.email) = lower(${email})
          AND i.expires_at > ${now.toISOString()}::timestamptz`,
  );
  return row;
}

/** Deletes an invitation once used; false when another request used it first. */
export async function consumeInvitation(q: Queryable, id: number): Promise<boolean> {
  const deleted = await rows<{ id: number }>(q, sql`DELETE FROM invitations WHERE id = ${id} RETURNING id`);
  return deleted.length > 0;
}

export async function accountName(q: Queryable, accountId: AccountId): Promise<string> {
  const [row] = await rows<{ name: string }>(q, sql`SELECT name FROM accounts WHERE id = ${accountId}`);
  return row?.name ?? '';
}
