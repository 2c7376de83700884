import type { Principal } from '../modules/auth/auth.service.ts';
import type { AccountAccess } from '../modules/accounts/access.service.ts';
import type { Right } from '../../shared/rights.ts';
import type { AccountScopedRoute } from './account-scope.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; null on public routes without credentials. */
    principal: Principal | null;
    /** Set on /api/accounts/:accountId/... routes once the caller's access was checked. */
    account: AccountAccess | null;
  }
  interface FastifyInstance {
    /** Every route under /api/accounts/:accountId with its declared right (for the tenancy tests). */
    accountScopedRoutes: AccountScopedRoute[];
  }
  interface FastifyContextConfig {
    /** Route needs no login (login, health, docs). */
    public?: boolean;
    /** A provider webhook (`/api/hooks/…`): no session or API token is read; the route checks its caller. */
    webhook?: boolean;
    /** Right required on account-scoped routes; every such route must declare one (or `'member'`). */
    right?: Right | 'member';
  }
}

export {};
