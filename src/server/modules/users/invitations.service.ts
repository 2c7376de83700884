import type { Clock } from '../../clock.ts';
import { isoTime, type Db, type Queryable } from '../../db/types.ts';
import { asAccountId, withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { hashPassword } from '../../security/passwords.ts';
import { hashToken, newSecret } from '../../security/tokens.ts';
import type { EmailTransport } from '../../adapters/email-transport.ts';
import type { AccessService, AccountAccess } from '../accounts/access.service.ts';
import type { AddMemberBody } from '../../../shared/accounts.ts';
import { languageSchema } from '../../../shared/auth.ts';
import {
  INVITATION_DAYS,
  type AcceptedInvitation,
  type AcceptInvitationBody,
  type Invitation,
  type InvitationLookup,
  type MyInvitation,
} from '../../../shared/invitations.ts';
import { rightsOfRole } from '../../../shared/rights.ts';
import { assertCanGrant, assertKeepsOwner, assertNotOutranked, lockMembers } from './member-rules.ts';
import { renderInvitationEmail } from './invitation-email.ts';
import * as repo from './invitations.repo.ts';
import { findMember, findUserByEmail, findUserById, insertUser, upsertMembership } from './users.repo.ts';
import { parseRole } from './users.service.ts';

/**
 * Members join by invitation. Inviting answers the same for every address (known to Herald or
 * not), so nobody learns who has a login or pulls another tenant's user in unasked. Existing users
 * accept while logged in; new users accept through the emailed link and choose their own name and
 * password. "Nobody grants more than they hold" is checked on invite and again on accept, against
 * the inviter's rights then.
 */
export class InvitationsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly transport: EmailTransport,
    private readonly options: { publicUrl: string; from: string },
  ) {}

  /** Invites (or invites again, replacing the pending invitation) and sends the email. */
  async invite(actor: AccountAccess, inviterId: number, body: AddMemberBody): Promise<Invitation> {
    assertCanGrant(actor, body.role);
    const accountId = actor.accountId;
    const email = body.email.trim().toLowerCase();
    // Someone who already works here (own membership or through the agency) is not for this
    // caller to shadow with a lower role; only people in this account are looked at.
    const existing = await findUserByEmail(this.db, email);
    const theirAccess = existing ? await this.access.accessTo(existing.id, accountId) : null;
    if (existing && theirAccess) {
      assertNotOutranked(actor, theirAccess.rights);
    }
    const inviter = await findUserById(this.db, inviterId);
    const language = body.language ?? inviter?.language ?? 'en';
    const token = newSecret('inv');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    const { row, accountName } = await withTenant(this.db, accountId, async (tx) => {
      if (existing && (await findMember(tx, accountId, existing.id))) {
        throw new AppError('ALREADY_MEMBER', 'This person already is a member: change their role instead');
      }
      const row = await repo.upsertInvitation(tx, {
        accountId,
        email,
        role: body.role,
        language,
        tokenHash: hashToken(token),
        invitedBy: inviterId,
        createdAt: now,
        expiresAt,
      });
      return { row, accountName: await repo.accountName(tx, accountId) };
    });
    // Sent after the commit: no outside call while a transaction is open.
    const status = await this.send(email, token, {
      language,
      accountName,
      inviterName: inviter?.name ?? null,
      role: body.role,
      expiresAt,
    });
    await withTenant(this.db, accountId, (tx) => repo.setEmailStatus(tx, row.id, status));
    const invitation = toInvitation({ ...row, emailStatus: status });
    return status === 'outboxed' ? { ...invitation, link: this.linkOf(token) } : invitation;
  }

  async list(accountId: AccountId): Promise<Invitation[]> {
    const found = await withTenant(this.db, accountId, (tx) =>
      repo.listInvitations(tx, accountId, this.clock.now()),
    );
    return found.map(toInvitation);
  }

  async revoke(accountId: AccountId, invitationId: number): Promise<void> {
    const deleted = await withTenant(this.db, accountId, (tx) =>
      repo.deleteInvitation(tx, accountId, invitationId),
    );
    if (!deleted) throw new AppError('NOT_FOUND', 'Invitation not found');
  }

  /** Pending invitations addressed to the user's own email. */
  async mine(userId: number): Promise<MyInvitation[]> {
    const user = await this.userOf(userId);
    const found = await repo.listForEmail(this.db, user.email, this.clock.now());
    return found.map((i) => ({
      id: String(i.id),
      accountId: String(i.accountId),
      accountName: i.accountName,
      role: parseRole(i.role),
      invitedBy: i.invitedByName,
      expiresAt: isoTime(i.expiresAt),
    }));
  }

  /** Accepts an invitation addressed to the logged-in user's email. */
  async acceptMine(userId: number, invitationId: number): Promise<AcceptedInvitation> {
    const user = await this.userOf(userId);
    const invitation = await repo.findForEmail(this.db, invitationId, user.email, this.clock.now());
    if (!invitation) throw new AppError('NOT_FOUND', 'Invitation not found');
    await this.join(invitation, userId);
    return { email: user.email, accountId: String(invitation.accountId) };
  }

  async declineMine(userId: number, invitationId: number): Promise<void> {
    const user = await this.userOf(userId);
    const invitation = await repo.findForEmail(this.db, invitationId, user.email, this.clock.now());
    if (!invitation || !(await repo.consumeInvitation(this.db, invitation.id))) {
      throw new AppError('NOT_FOUND', 'Invitation not found');
    }
  }

  /** What the holder of a link may know: the invitation, and whether its address has a login yet. */
  async lookup(token: string): Promise<InvitationLookup> {
    const invitation = await this.byToken(token);
    return {
      email: invitation.email,
      accountName: invitation.accountName,
      role: parseRole(invitation.role),
      expiresAt: isoTime(invitation.expiresAt),
      hasLogin: Boolean(await findUserByEmail(this.db, invitation.email)),
    };
  }

  /** Accepts by link as a new user: creates the login with their own name and password, and the membership. */
  async acceptAsNewUser(body: AcceptInvitationBody): Promise<AcceptedInvitation> {
    const invitation = await this.byToken(body.token);
    if (await findUserByEmail(this.db, invitation.email)) {
      throw new AppError('EMAIL_TAKEN', 'This address has a Herald login: log in to accept the invitation');
    }
    const passwordHash = await hashPassword(body.password);
    try {
      await this.join(invitation, async (tx) => {
        const user = await insertUser(tx, {
          email: invitation.email.toLowerCase(),
          name: body.name,
          passwordHash,
          language: languageSchema.nullable().catch(null).parse(invitation.language),
        });
        return user.id;
      });
    } catch (err) {
      // The address registered in the meantime.
      if (violatedUniqueConstraint(err) === 'users_email_key') {
        throw new AppError('EMAIL_TAKEN', 'This address has a Herald login: log in to accept the invitation');
      }
      throw err;
    }
    return { email: invitation.email.toLowerCase(), accountId: String(invitation.accountId) };
  }

  /**
   * Turns the invitation into a membership, once. The inviter must still manage users there and
   * hold every right of the role and of the invitee's current access; the account keeps an owner.
   */
  private async join(
    invitation: repo.InvitationView,
    user: number | ((tx: Queryable) => Promise<number>),
  ): Promise<void> {
    const accountId = asAccountId(Number(invitation.accountId));
    const role = parseRole(invitation.role);
    const inviter =
      invitation.invitedBy === null
        ? null
        : await this.access.accessTo(Number(invitation.invitedBy), accountId);
    const inviterRights = inviter?.rights ?? new Set();
    const missing = [...rightsOfRole(role), 'users.manage' as const].filter((r) => !inviterRights.has(r));
    if (!inviter || missing.length > 0) {
      throw new AppError(
        'INVITER_LACKS_RIGHTS',
        'The person who invited you can no longer grant this role: ask them for a new invitation',
      );
    }
    // An existing user's access through the agency is read outside the tenant transaction, where
    // row-level security would hide the agency's memberships.
    const current = typeof user === 'number' ? await this.access.accessTo(user, accountId) : null;
    if (current) assertNotOutranked(inviter, current.rights);
    await withTenant(this.db, accountId, async (tx) => {
      await lockMembers(tx, accountId);
      if (!(await repo.consumeInvitation(tx, invitation.id))) {
        throw new AppError('INVITATION_INVALID', 'This invitation was used, revoked or replaced');
      }
      const userId = typeof user === 'number' ? user : await user(tx);
      if (!(await upsertMembership(tx, accountId, userId, role, false))) {
        throw new AppError('ALREADY_MEMBER', 'You already are a member of this account');
      }
      await assertKeepsOwner(tx, accountId);
    });
  }

  private async byToken(token: string): Promise<repo.InvitationView> {
    const invitation = await repo.findByTokenHash(this.db, hashToken(token), this.clock.now());
    if (!invitation) throw new AppError('INVITATION_INVALID', 'This invitation link is not valid (any more)');
    return invitation;
  }

  private async userOf(userId: number) {
    const user = await findUserById(this.db, userId);
    if (!user) throw new AppError('UNAUTHENTICATED', 'User no longer exists');
    return user;
  }

  private linkOf(token: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}/invitation#token=${token}`;
  }

  /** Hands the email to the transport; a failure is recorded on the invitation (inviting again retries). */
  private async send(
    to: string,
    token: string,
    texts: Omit<Parameters<typeof renderInvitationEmail>[0], 'link'>,
  ): Promise<repo.EmailStatus> {
    const rendered = renderInvitationEmail({ ...texts, link: this.linkOf(token) });
    const host = new URL(this.options.publicUrl).hostname || 'herald.local';
    try {
      await this.transport.send({
        ...rendered,
        from: this.options.from,
        to,
        messageId: `<invitation-${hashToken(token).slice(0, 24)}@${host}>`,
        language: texts.language,
      });
    } catch {
      return 'failed';
    }
    return this.transport.kind === 'outbox' ? 'outboxed' : 'sent';
  }
}

function toInvitation(row: repo.InvitationRow): Invitation {
  return {
    id: String(row.id),
    email: row.email,
    role: parseRole(row.role),
    createdAt: isoTime(row.createdAt),
    expiresAt: isoTime(row.expiresAt),
    emailStatus: row.emailStatus,
  };
}
