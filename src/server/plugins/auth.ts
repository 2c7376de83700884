import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { DOCS_PREFIX } from './openapi.ts';
import type { AuthService, Principal } from '../modules/auth/auth.service.ts';

export const SESSION_COOKIE = 'herald_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller from the session cookie or a Bearer token on every /api request, and rejects
 * cookie-authenticated state changes without the session's CSRF token (Bearer requests cannot be
 * forged by a browser, so they need none).
 */
export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith(DOCS_PREFIX)) return;
    const isPublic = request.routeOptions.config.public === true;
    const principal = await identify(request, auth);
    if (principal === 'expired') {
      if (isPublic) return;
      throw new AppError('SESSION_EXPIRED', 'Your session has expired; please log in again');
    }
    request.principal = principal;
    if (!principal) {
      if (isPublic) return;
      throw new AppError('UNAUTHENTICATED', 'Please log in');
    }
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method) && !isPublic) {
      if (request.headers['x-csrf-token'] !== principal.csrfToken) {
        throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header');
      }
    }
  });
}

async function identify(request: FastifyRequest, auth: AuthService): Promise<Principal | 'expired' | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const principal = await auth.fromBearerToken(header.slice('Bearer '.length).trim());
    if (!principal) throw new AppError('UNAUTHENTICATED', 'Invalid or revoked API token');
    return principal;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? auth.fromSessionCookie(cookie) : null;
}

/** The authenticated principal of a non-public route (the onRequest hook guarantees one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Please log in');
  return request.principal;
}
