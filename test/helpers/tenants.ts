import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/server/db/types.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { insertAccount } from '../../src/server/modules/accounts/accounts.repo.ts';
import { insertUser, upsertMembership } from '../../src/server/modules/users/users.repo.ts';
import { hashPassword } from '../../src/server/security/passwords.ts';
import { ROLE_NAMES, type Role } from '../../src/shared/rights.ts';

export const TEST_PASSWORD = 'correct-horse-battery';
let cachedHash: Promise<string> | undefined;

export interface Tenant {
  agencyId: string;
  subId: string;
  /** email per role, each a member of the agency (and so of the sub-account) with that role. */
  users: Record<Role, string>;
}

/** A fresh agency with one sub-account and one user per role: every test gets its own tenant. */
export async function createTenant(db: Db, label = randomBytes(4).toString('hex')): Promise<Tenant> {
  const hash = await (cachedHash ??= hashPassword(TEST_PASSWORD));
  const agencyId = await insertAccount(db, { name: `Agency ${label}`, kind: 'agency', parentId: null });
  const subId = await insertAccount(db, { name: `Client ${label}`, kind: 'sub_account', parentId: agencyId });
  const users = {} as Record<Role, string>;
  for (const role of ROLE_NAMES) {
    const email = `${role}.${label}@test.example`;
    const user = await insertUser(db, { email, name: `${role} ${label}`, passwordHash: hash });
    await upsertMembership(db, asAccountId(agencyId), user.id, role, false);
    users[role] = email;
  }
  return { agencyId: String(agencyId), subId: String(subId), users };
}
