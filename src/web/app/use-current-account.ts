import { useMatch } from 'react-router';
import type { MyAccount } from '../../shared/auth.ts';
import { useOptionalSession } from './auth/session-context.ts';

const LAST_ACCOUNT_KEY = 'herald.lastAccountId';

/** Notes the account the user works in, for pages outside any account. Storage may be off: then it is not kept. */
export function rememberLastAccount(accountId: string): void {
  try {
    localStorage.setItem(LAST_ACCOUNT_KEY, accountId);
  } catch {
    // only a convenience
  }
}

function lastAccountId(): string | null {
  try {
    return localStorage.getItem(LAST_ACCOUNT_KEY);
  } catch {
    return null;
  }
}

/**
 * The account the user works in: the one in the URL on account pages. Pages outside an account
 * (My settings) keep the last one visited, else the first, so the navbar and switcher do not jump.
 * Null when the URL names an account the user is not a member of, they have none, or nobody is
 * logged in (public pages).
 */
export function useCurrentAccount(): MyAccount | null {
  // useMatch, not useParams: the shell around the pages must see the account id too.
  const accountId = useMatch({ path: '/accounts/:accountId', end: false })?.params.accountId;
  const accounts = useOptionalSession()?.accounts ?? [];
  if (accountId) return accounts.find((a) => a.id === accountId) ?? null;
  const last = lastAccountId();
  return accounts.find((a) => a.id === last) ?? accounts[0] ?? null;
}
