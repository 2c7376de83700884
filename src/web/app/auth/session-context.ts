import { createContext, useContext } from 'react';
import type { MeResponse } from '../../../shared/auth.ts';

/** The loaded MeResponse, provided by RequireAuth to everything behind the login. */
export const SessionContext = createContext<MeResponse | null>(null);

/** The logged-in user and their accounts; only for components rendered inside RequireAuth. */
export function useSession(): MeResponse {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside RequireAuth');
  return session;
}

/** The session when there is one: public pages (an invitation link) render without a login. */
export function useOptionalSession(): MeResponse | null {
  return useContext(SessionContext);
}
