import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { asAccountId } from '../db/tenant.ts';
import type { AccessService, AccountAccess } from '../modules/accounts/access.service.ts';
import type { Right } from '../../shared/rights.ts';
import type { Language } from '../../shared/auth.ts';
import type { Actor } from '../jobs/types.ts';
import { principalOf } from './auth.ts';
import { isIdText } from '../../shared/primitives.ts';

export const ACCOUNT_PREFIX = '/api/accounts/:accountId';

/**
 * Guards every route under /api/accounts/:accountId: the caller must reach the account (else 404,
 * so foreign ids look exactly like unknown ones) and hold the route's right (else 403). Runs before
 * body validation, so a stranger learns nothing from validation errors either. A route under the
 * prefix without a declared right fails at start-up: the check cannot be forgotten.
 */
export function registerAccountScope(app: FastifyInstance, access: AccessService): AccountScopedRoute[] {
  const scoped: AccountScopedRoute[] = [];
  app.decorateRequest('account', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(ACCOUNT_PREFIX)) return;
    const right = route.config?.right;
    if (!right)
      throw new Error(
        `Route ${[route.method].flat().join(',')} ${route.url} is account-scoped but declares no right`,
      );
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      scoped.push({
        method,
        url: route.url,
        right,
        hasBody: Boolean(route.schema?.body),
        hasQuery: Boolean(route.schema?.querystring),
      });
    }
  });
  app.addHook('preValidation', async (request) => {
    const right = request.routeOptions.config.right;
    if (!right || !request.routeOptions.url?.startsWith(ACCOUNT_PREFIX)) return;
    const principal = request.principal;
    if (!principal) throw new AppError('UNAUTHENTICATED', 'Please log in');
    const raw = (request.params as { accountId?: string }).accountId ?? '';
    const account = isIdText(raw) ? await access.accessTo(principal.userId, asAccountId(Number(raw))) : null;
    if (!account) throw new AppError('NOT_FOUND', 'Account not found');
    if (right !== 'member' && !account.rights.has(right)) {
      throw new AppError('FORBIDDEN', `This action needs the right '${right}'`, { right });
    }
    request.account = account;
  });
  return scoped;
}

/** An account-scoped route as registered: the tenancy test walks this list, so no route escapes it. */
export interface AccountScopedRoute {
  method: string;
  url: string;
  right: Right | 'member';
  hasBody: boolean;
  hasQuery: boolean;
}

/** The checked account access of an account-scoped route. */
export function accountOf(request: FastifyRequest): AccountAccess {
  if (!request.account) throw new AppError('NOT_FOUND', 'Account not found');
  return request.account;
}

/**
 * Who acts in an account-scoped request: the account access the scope resolved, the signed-in
 * user, and their language (English when they chose none) for names and texts the action writes.
 */
export async function actorOf(
  users: { getUser(userId: number): Promise<{ language?: Language | null }> },
  request: FastifyRequest,
): Promise<Actor> {
  const userId = principalOf(request).userId;
  const user = await users.getUser(userId);
  return { access: accountOf(request), userId, language: user.language ?? 'en' };
}
