import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { rightsOfRole, type Right, type Role } from '../../../shared/rights.ts';
import type { AccountAccess } from '../accounts/access.service.ts';

// Any constant works; member changes of one account take this lock (with the account id) so that two
// owners demoting each other at once cannot both see "one owner left".
const MEMBER_LOCK_KEY = 7_244_130;

/** Nobody hands out more than they hold: a role may be granted only if all its rights are the actor's. */
export function assertCanGrant(actor: Pick<AccountAccess, 'rights'>, role: Role): void {
  const missing = rightsOfRole(role).filter((r) => !actor.rights.has(r));
  if (missing.length > 0) {
    throw new AppError('FORBIDDEN', `You cannot manage the role '${role}': it holds rights you do not have`, {
      missing,
    });
  }
}

/**
 * Nobody acts on a member who holds more: adding, re-adding, changing or removing someone whose
 * current rights in the account (own membership or through the agency) are not all the actor's.
 */
export function assertNotOutranked(actor: Pick<AccountAccess, 'rights'>, target: Iterable<Right>): void {
  const missing = [...target].filter((r) => !actor.rights.has(r));
  if (missing.length > 0) {
    throw new AppError('FORBIDDEN', 'You cannot act on a member who holds rights you do not have', {
      missing,
    });
  }
}

/** Serialises member changes of one account until the transaction ends. */
export async function lockMembers(tx: Queryable, accountId: AccountId): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(${MEMBER_LOCK_KEY}, (${accountId}::bigint % 2147483647)::int)`,
  );
}

/**
 * Refuses (and so rolls back) a change that left the account without an owner. Owners reaching the
 * account through its agency count: a sub-account needs no owner of its own.
 */
export async function assertKeepsOwner(tx: Queryable, accountId: AccountId): Promise<void> {
  const [row] = await rows<{ n: number | string }>(
    tx,
    sql`SELECT herald_account_owner_count(${accountId}) AS n`,
  );
  if (Number(row?.n ?? 0) === 0) {
    throw new AppError(
      'LAST_OWNER',
      'An account must keep at least one owner: make someone else owner first',
    );
  }
}
