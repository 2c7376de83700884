// Public tracking links at the app root (no session, no CSRF: mail clients and browsers fetch them):
// `GET /t/o/<token>` serves the open pixel and records the open; `GET /t/c/<token>` records the click
// and redirects to the link's target. A bad token records nothing: the pixel is served anyway (no
// broken image in the mail), a click answers 400 TRACKING_LINK_INVALID and never redirects.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { errorBodySchema } from '../../../shared/errors.ts';
import type { AppServices } from '../../services.ts';
import { pageLanguage } from '../deliverability/unsubscribe-page.ts';
import { invalidTrackingPage } from './tracking-page.ts';

const tags = ['tracking'];
const security: Record<string, string[]>[] = [];
/** Any text: a token that is not one is refused by its check, never by validation (the pixel must load). */
const params = z.object({ token: z.string().max(8192) });

/** A transparent 1×1 GIF (43 bytes). */
export const PIXEL_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
);

/**
 * The Location header for a target URL: as signed when it is printable ASCII, else in the URL
 * parser's serialisation (non-ASCII percent-encoded, host in punycode), which HTTP headers can carry.
 */
export function locationOf(url: string): string | null {
  if (/^[\x21-\x7e]+$/.test(url)) return url;
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

export const trackingRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const tracking = services.tracking;

    app.get(
      '/t/o/:token',
      {
        config: { public: true },
        schema: {
          tags,
          security,
          summary: 'Open pixel: records the open of a tracked email; always a transparent GIF',
          params,
          produces: ['image/gif'],
          response: { 200: z.string().describe('image/gif, 1×1 transparent (43 bytes)') },
        },
      },
      async (request, reply) => {
        // The image is served even when recording fails (no broken image in the mail). A HEAD
        // (Fastify answers it with this handler) is a link checker looking, not a reader: not counted.
        if (request.method === 'GET')
          await tracking
            .open(request.params.token)
            .catch((err: unknown) => request.log.error({ err }, 'an open could not be recorded'));
        return reply
          .header('cache-control', 'no-store, max-age=0')
          .type('image/gif')
          .send(PIXEL_GIF as unknown as string); // bytes: Fastify sends a Buffer as is
      },
    );

    app.get(
      '/t/c/:token',
      {
        config: { public: true },
        schema: {
          tags,
          security,
          summary:
            'Tracked link: records the click (and an open) and redirects to the target; ' +
            'a forged or expired token is 400 TRACKING_LINK_INVALID (an HTML page for browsers)',
          params,
          produces: ['text/html', 'application/json'],
          response: {
            302: z.null().describe('Redirect to the link target (Location)'),
            400: z
              .union([z.string(), errorBodySchema])
              .describe('TRACKING_LINK_INVALID: an HTML page, or the JSON error when only JSON is accepted'),
          },
        },
      },
      async (request, reply) => {
        const click = tracking.clickTarget(request.params.token);
        const location = click === null ? null : locationOf(click.url);
        if (click !== null && location !== null && request.method === 'GET') {
          // The reader gets to the link even when recording fails.
          await tracking
            .recordClick(click)
            .catch((err: unknown) => request.log.error({ err }, 'a click could not be recorded'));
        }
        if (location === null) {
          const accept = request.headers.accept ?? '';
          if (accept.includes('application/json') && !accept.includes('text/html')) {
            throw new AppError('TRACKING_LINK_INVALID', 'This tracking link is invalid or has expired');
          }
          return reply
            .status(400)
            .header('cache-control', 'no-store')
            .type('text/html; charset=utf-8')
            .send(invalidTrackingPage(pageLanguage(request.headers['accept-language'])));
        }
        return reply.header('cache-control', 'no-store').redirect(location, 302);
      },
    );
  };
