import { useEffect, type ReactNode } from 'react';
import { Navigate, Outlet } from 'react-router';
import { NoAccess } from '../components/no-access.tsx';
import { canOpenSection, defaultSection, type AccountSection } from './sections.ts';
import { rememberLastAccount, useCurrentAccount } from './use-current-account.ts';

/** Route element of /accounts/:accountId: only accounts the user is a member of. */
export function AccountScope() {
  const account = useCurrentAccount();
  const accountId = account?.id;
  useEffect(() => {
    if (accountId) rememberLastAccount(accountId);
  }, [accountId]);
  return account ? <Outlet /> : <NoAccess reason="account" />;
}

/** Wraps a section's page: someone following a link without the right sees why, not a broken page. */
export function RequireSection({ section, children }: { section: AccountSection; children: ReactNode }) {
  const account = useCurrentAccount();
  if (!account || !canOpenSection(section, account.rights)) return <NoAccess reason="section" />;
  return children;
}

/** /accounts/:accountId itself: the account's first section the user may open. */
export function AccountHome() {
  const account = useCurrentAccount();
  return account ? <Navigate to={defaultSection(account.rights)} replace /> : null;
}
