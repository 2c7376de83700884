import type { Clock } from '../../clock.ts';
import { isoTime, type Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { hashPassword, verifyPassword } from '../../security/passwords.ts';
import { deleteOtherSessions, revokeAllApiTokens } from '../auth/auth.repo.ts';
import { assertKnownTimeZone } from '../accounts/accounts.service.ts';
import type { AccessService, AccountAccess } from '../accounts/access.service.ts';
import type { User, UpdateSettingsBody } from '../../../shared/auth.ts';
import type { Member } from '../../../shared/accounts.ts';
import { rightsOfRole, roleSchema, type Role } from '../../../shared/rights.ts';
import { assertCanGrant, assertKeepsOwner, assertNotOutranked, lockMembers } from './member-rules.ts';
import * as repo from './users.repo.ts';

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly access: AccessService,
  ) {}

  async getUser(userId: number): Promise<User> {
    const user = await repo.findUserById(this.db, userId);
    if (!user) throw new AppError('UNAUTHENTICATED', 'User no longer exists');
    return toUser(user);
  }

  async updateSettings(userId: number, patch: UpdateSettingsBody): Promise<User> {
    if (patch.timeZone) await assertKnownTimeZone(this.db, patch.timeZone);
    const user = await repo.updateUser(this.db, userId, patch, this.clock.now());
    if (!user) throw new AppError('UNAUTHENTICATED', 'User no longer exists');
    return toUser(user);
  }

  /**
   * Changes the password, ends the user's other sessions and revokes all their API tokens: whatever
   * was stolen with or before the old password dies with it.
   */
  async changePassword(
    userId: number,
    current: string,
    next: string,
    keepSessionId: string | null,
  ): Promise<void> {
    const user = await repo.findUserById(this.db, userId);
    if (!user || !(await verifyPassword(current, user.passwordHash))) {
      throw new AppError('INVALID_CREDENTIALS', 'The current password is wrong');
    }
    await this.db.transaction(async (tx) => {
      await repo.updateUser(tx, userId, { passwordHash: await hashPassword(next) }, this.clock.now());
      await deleteOtherSessions(tx, userId, keepSessionId);
      await revokeAllApiTokens(tx, userId, this.clock.now());
    });
  }

  async listMembers(accountId: AccountId): Promise<Member[]> {
    const members = await withTenant(this.db, accountId, (tx) => repo.listMembers(tx, accountId));
    return members.map(toMember);
  }

  /**
   * Changes a member's role. The actor must hold every right of the new role and of the member's
   * current one (nobody demotes someone who outranks them), and the account keeps an owner.
   */
  async changeRole(actor: AccountAccess, userId: number, role: Role): Promise<Member> {
    assertCanGrant(actor, role);
    const accountId = actor.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      await lockMembers(tx, accountId);
      const existing = await repo.findMember(tx, accountId, userId);
      if (!existing) throw new AppError('NOT_FOUND', 'Member not found');
      assertNotOutranked(actor, rightsOfRole(parseRole(existing.role)));
      await repo.upsertMembership(tx, accountId, userId, role, true);
      await assertKeepsOwner(tx, accountId);
      return toMember({ ...existing, role });
    });
  }

  /** Removes a membership, under the same rules as a role change. */
  async removeMember(actor: AccountAccess, actorUserId: number, userId: number): Promise<void> {
    if (actorUserId === userId) throw new AppError('CONFLICT', 'You cannot remove your own membership');
    const accountId = actor.accountId;
    await withTenant(this.db, accountId, async (tx) => {
      await lockMembers(tx, accountId);
      const existing = await repo.findMember(tx, accountId, userId);
      if (!existing) throw new AppError('NOT_FOUND', 'Member not found');
      assertNotOutranked(actor, rightsOfRole(parseRole(existing.role)));
      await repo.deleteMembership(tx, accountId, userId);
      await assertKeepsOwner(tx, accountId);
    });
  }

  myAccounts(userId: number) {
    return this.access.myAccounts(userId);
  }
}

export function parseRole(role: string): Role {
  const parsed = roleSchema.safeParse(role);
  if (!parsed.success) throw new AppError('INTERNAL', `Unknown role '${role}' in database`);
  return parsed.data;
}

function toUser(user: repo.UserRow): User {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    language: user.language,
    emailSystemMessages: user.emailSystemMessages,
    timeZone: user.timeZone,
  };
}

export function toMember(m: repo.MemberRow): Member {
  const role = parseRole(m.role);
  return {
    userId: String(m.userId),
    email: m.email,
    name: m.name,
    role,
    rights: [...rightsOfRole(role)],
    createdAt: isoTime(m.createdAt),
  };
}
