// Unsubscribe links (RFC 8058) at the app root, `/u/<token>`: GET shows a confirmation and changes
// nothing (link scanners fetch every link); POST unsubscribes at once, from a mail client's
// one-click (`List-Unsubscribe=One-Click`) or the page's button. A forged, altered or expired
// token is a 400 page that changed nothing.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeString } from '../../../shared/primitives.ts';
import type { AppServices } from '../../services.ts';
import { confirmPage, donePage, invalidPage, pageLanguage } from './unsubscribe-page.ts';

const tags = ['unsubscribe'];
const params = z.object({ token: safeString().min(1).max(4096) });
/** Pages (a refused link is a 400 page too; error bodies of other 4xx stay JSON). */
const html = { 200: z.string() };
/** A one-click body is a single field; anything much larger is not one. */
const BODY_LIMIT = 16 * 1024;

/**
 * A mail client's one-click POST: `List-Unsubscribe=One-Click` as a form, or the same field as a
 * multipart part (RFC 8058 §8.1's example).
 */
export function isOneClick(body: string): boolean {
  return (
    /(^|&)List-Unsubscribe=One-Click(&|$)/i.test(body.trim()) ||
    /name="?List-Unsubscribe"?[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n\s*One-Click\s*(\r?\n|$)/i.test(body)
  );
}

export const unsubscribeRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const deliverability = services.deliverability;
    // Mail clients post `List-Unsubscribe=One-Click` as a form or multipart; the page posts a form.
    // Whatever the type, only the text matters here.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, String(body)),
    );

    const language = (request: FastifyRequest) => pageLanguage(request.headers['accept-language']);
    const target = (token: string) => deliverability.unsubscribeTarget(token);
    const refuse = (request: FastifyRequest, reply: FastifyReply) =>
      reply
        .status(400)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(invalidPage(language(request)));

    app.get(
      '/u/:token',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Unsubscribe confirmation page (changes nothing)',
          params,
          response: html,
        },
      },
      async (request, reply) => {
        const found = target(request.params.token);
        if (!found) return refuse(request, reply);
        const masked = await deliverability.maskedAddress(found.accountId, found.contactId, found.channel);
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(confirmPage(language(request), found.channel, masked, `/u/${request.params.token}`));
      },
    );

    app.post(
      '/u/:token',
      {
        config: { public: true },
        schema: {
          tags,
          summary: "Unsubscribe at once (RFC 8058 one-click, or the confirmation page's button)",
          params,
          body: z.string().max(BODY_LIMIT).nullish(),
          response: html,
        },
      },
      async (request, reply) => {
        const found = target(request.params.token);
        if (!found) return refuse(request, reply);
        const oneClick = isOneClick(request.body ?? '');
        await deliverability.unsubscribe(found, oneClick ? 'one_click' : 'unsubscribe_link');
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(donePage(language(request), found.channel));
      },
    );
  };
