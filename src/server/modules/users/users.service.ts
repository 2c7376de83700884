import type { Clock } from '../../clock.ts';
import { isoTime, type Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { hashPassword, verifyPassword } from '../../security/passwords.ts';
import { deleteOtherSessions, revokeAllApiTokens } from '../auth/auth.repo.ts';
import type { AccessService, AccountAccess } from '../accounts/access.service.ts';
import type { User, UpdateSettingsBody } from '../../../shared/auth.ts';
import type { AddMemberBody, Member } from '../../../shared/accounts.ts';
import { rightsOfRole, roleSchema, type Role } from '../../../shared/rights.ts';
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

  /** Adds a user to the account, creating the user when the email is new (it then needs a first password). */
  async addMember(actor: AccountAccess, body: AddMemberBody): Promise<Member> {
    assertCanGrant(actor, body.role);
    const accountId = actor.accountId;
    const passwordHash = body.password ? await hashPassword(body.password) : null;
    return withTenant(this.db, accountId, async (tx) => {
      let user = await repo.findUserByEmail(tx, body.email);
      if (!user) {
        if (!passwordHash) {
          throw new AppError('VALIDATION_FAILED', 'A new user needs a first password', {
            fields: [{ field: 'password', message: 'required for a new user' }],
          });
        }
        user = await repo.insertUser(tx, {
          email: body.email.toLowerCase(),
          name: body.name,
          passwordHash,
          language: body.language ?? null,
        });
      }
      const userId = user.id;
      const added = await repo.upsertMembership(tx, accountId, userId, body.role, false);
      if (!added) throw new AppError('CONFLICT', 'This user is already a member of the account');
      const member = await repo.findMember(tx, accountId, userId);
      return toMember(member!);
    });
  }

  async changeRole(actor: AccountAccess, userId: number, role: Role): Promise<Member> {
    assertCanGrant(actor, role);
    const accountId = actor.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const existing = await repo.findMember(tx, accountId, userId);
      if (!existing) throw new AppError('NOT_FOUND', 'Member not found');
      assertCanGrant(actor, parseRole(existing.role));
      await repo.upsertMembership(tx, accountId, userId, role, true);
      return toMember({ ...existing, role });
    });
  }

  async removeMember(actor: AccountAccess, actorUserId: number, userId: number): Promise<void> {
    if (actorUserId === userId) throw new AppError('CONFLICT', 'You cannot remove your own membership');
    const accountId = actor.accountId;
    await withTenant(this.db, accountId, async (tx) => {
      const existing = await repo.findMember(tx, accountId, userId);
      if (!existing) throw new AppError('NOT_FOUND', 'Member not found');
      assertCanGrant(actor, parseRole(existing.role));
      await repo.deleteMembership(tx, accountId, userId);
    });
  }

  myAccounts(userId: number) {
    return this.access.myAccounts(userId);
  }
}

/** Nobody hands out more than they hold: a role may be granted or changed only if all its rights are the actor's. */
function assertCanGrant(actor: AccountAccess, role: Role): void {
  const missing = rightsOfRole(role).filter((r) => !actor.rights.has(r));
  if (missing.length > 0) {
    throw new AppError('FORBIDDEN', `You cannot manage the role '${role}': it holds rights you do not have`, {
      missing,
    });
  }
}

function parseRole(role: string): Role {
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
  };
}

function toMember(m: repo.MemberRow): Member {
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
