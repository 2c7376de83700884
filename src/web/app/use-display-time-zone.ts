import { useOptionalSession } from './auth/session-context.ts';
import { useCurrentAccount } from './use-current-account.ts';

/**
 * The zone the UI shows dates in and reads typed date-times in: the user's own choice (My
 * settings), else the zone of the account at hand, else the browser's (also on public pages,
 * where nobody is logged in).
 */
export function useDisplayTimeZone(): string {
  const user = useOptionalSession()?.user;
  const account = useCurrentAccount();
  return user?.timeZone ?? account?.timeZone ?? browserTimeZone();
}

/** The zone the browser runs in. */
export function browserTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}
