import type { MyAccount } from '../../../shared/auth.ts';

/** An entry of the account switcher: sub-accounts come right after their agency, one level in. */
export interface AccountOption {
  account: MyAccount;
  depth: 0 | 1;
}

/**
 * Orders accounts for the switcher: each agency (in the server's order) followed by its sub-accounts.
 * A sub-account whose agency the user cannot see stands on its own at the top level.
 */
export function accountOptions(accounts: readonly MyAccount[]): AccountOption[] {
  const ids = new Set(accounts.map((a) => a.id));
  const isTopLevel = (a: MyAccount) => a.parentId === null || !ids.has(a.parentId);
  return accounts
    .filter(isTopLevel)
    .flatMap((top) => [
      { account: top, depth: 0 as const },
      ...accounts.filter((a) => a.parentId === top.id).map((account) => ({ account, depth: 1 as const })),
    ]);
}
