import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { DOCS_PREFIX } from './openapi.ts';
import type { AuthService, Principal } from '../modules/auth/auth.service.ts';

export const SESSION_COOKIE = 'herald_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller from the session cookie or a Bearer token on every /api request, and rejects
 * cookie-authenticated state changes without the session's CSRF token or from another site's page
 * (Bearer requests cannot be forged by a browser, so they need neither).
 */
export function registerAuth(app: FastifyInstance, auth: AuthService, options: { publicUrl: string }): void {
  const publicOrigin = new URL(options.publicUrl).origin;
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith(DOCS_PREFIX)) return;
    // Webhooks authenticate themselves (signatures; a bearer that is the webhook secret, not an API token).
    if (request.routeOptions.config.webhook === true) return;
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
    if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      // Checked on public routes too (logout): a cookie rides along whatever page sent the request.
      if (!fromOwnOrigin(request, publicOrigin)) {
        throw new AppError('CSRF_FAILED', 'The request comes from another site');
      }
      if (!isPublic && request.headers['x-csrf-token'] !== principal.csrfToken) {
        throw new AppError('CSRF_FAILED', 'Missing or wrong x-csrf-token header');
      }
    }
  });
}

/**
 * Whether a browser request was sent by Herald's own pages: its Origin (or, without one, its
 * Referer) is absent, HERALD_PUBLIC_URL's origin, or names the host the request was sent to.
 * Browsers set both headers themselves, so a page of another site cannot pass for ours; the host is
 * compared without the scheme because a TLS-terminating proxy makes the request look like http.
 */
function fromOwnOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const source = request.headers.origin ?? request.headers.referer;
  if (source === undefined || source === '') return true;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return false; // "null" (sandboxed frames, privacy redirects) or garbage
  }
  if (url.origin === publicOrigin) return true;
  const host = request.headers.host;
  if (!host || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  try {
    // Through URL so that a default port ("host:443" for https) compares equal to none.
    return new URL(`${url.protocol}//${host}`).host === url.host;
  } catch {
    return false;
  }
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
