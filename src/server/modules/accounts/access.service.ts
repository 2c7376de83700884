import type { Db } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { roleSchema, rightsOfRole, type Right, type Role } from '../../../shared/rights.ts';
import { findEffectiveRole, listReachableAccounts } from './accounts.repo.ts';
import type { MyAccount } from '../../../shared/auth.ts';

/** What a user may do in one account. */
export interface AccountAccess {
  accountId: AccountId;
  role: Role;
  rights: ReadonlySet<Right>;
}

/** Resolves who may do what where: the single place rights are derived from roles. */
export class AccessService {
  constructor(private readonly db: Db) {}

  /** The user's access to an account, or null when the account is unknown or not theirs (callers answer 404). */
  async accessTo(userId: number, accountId: AccountId): Promise<AccountAccess | null> {
    const role = roleSchema.safeParse(await findEffectiveRole(this.db, userId, accountId));
    if (!role.success) return null;
    return { accountId, role: role.data, rights: new Set(rightsOfRole(role.data)) };
  }

  /** All accounts the user can open, with role and rights, for /api/me and the account switcher. */
  async myAccounts(userId: number): Promise<MyAccount[]> {
    const reachable = await listReachableAccounts(this.db, userId);
    return reachable.flatMap((a) => {
      const role = roleSchema.safeParse(a.role);
      if (!role.success) return [];
      return [
        {
          id: String(a.id),
          name: a.name,
          kind: a.kind,
          parentId: a.parentId === null ? null : String(a.parentId),
          role: role.data,
          rights: [...rightsOfRole(role.data)],
          timeZone: a.timeZone,
        },
      ];
    });
  }
}
