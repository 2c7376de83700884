import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/**
 * The Content-Security-Policy of every response: the web UI and the Swagger UI load scripts only
 * from Herald itself (Vite emits no inline script), and nothing may frame Herald. Styles need
 * 'unsafe-inline': Mantine injects <style> tags (its CSS variables) and React sets style attributes.
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[] | null> {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // On plain http (a local or embedded install) upgrading would break every asset.
    upgradeInsecureRequests: https ? [] : null,
  };
}

/**
 * Security headers on every response (API, static files, errors): CSP, X-Frame-Options DENY,
 * nosniff, a referrer policy that sends other sites the origin only, and HSTS when served over https.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { https: boolean },
): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options.https) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}
