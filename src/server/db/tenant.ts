import { sql } from 'drizzle-orm';
import type { Db, Tx } from './types.ts';

/** An account id, required by every tenant repository call (branded so a user id cannot slip in). */
export type AccountId = number & { readonly __brand: 'AccountId' };
export const asAccountId = (id: number): AccountId => id as AccountId;

/**
 * Runs `work` in a transaction scoped to one account: the role switches to herald_tenant and
 * herald.account_id is set, so row-level security hides every other account's rows. This is the
 * second lock; repositories still filter by account_id themselves.
 */
export async function withTenant<T>(db: Db, accountId: AccountId, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL ROLE herald_tenant`);
    await tx.execute(sql`SELECT set_config('herald.account_id', ${String(accountId)}, true)`);
    return work(tx);
  });
}
