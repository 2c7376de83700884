// Email statistics of a mailing: figures, recipient table by state, and its CSV export. Routes
// validate and map status codes; MailingStatsService holds the rules. Right: contacts.view.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { bulkStatsQuerySchema } from '../../../shared/bulk-actions.ts';
import {
  mailingExportQuerySchema,
  mailingParamsSchema,
  mailingRecipientPageSchema,
  mailingRecipientsQuerySchema,
  mailingStatisticsSchema,
} from '../../../shared/mailings.ts';
import { actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';
import type { Actor } from '../../jobs/types.ts';

const tags = ['mailings'];
const view = { right: 'contacts.view' } as const;

export const mailingStatsRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/api/accounts/:accountId/mailings/:mailingId';
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const mailingId = (request: FastifyRequest) =>
      Number((request.params as { mailingId: string }).mailingId);

    app.get(
      `${base}/statistics`,
      {
        config: view,
        schema: {
          tags,
          summary:
            'Email statistics of a mailing: ledger counts, reasons (labelled in `lang`), opens, clicks per link, ' +
            'unsubscribes, the hourly timeline and the reach of its family (original and re-sends)',
          description:
            'Before the send every count is 0 and the timeline is empty. Timeline buckets are UTC hours that ' +
            'have any event, in time order. Opens are inflated by image proxies and privacy protection.',
          params: mailingParamsSchema,
          querystring: bulkStatsQuerySchema,
          response: { 200: mailingStatisticsSchema },
        },
      },
      async (request) => {
        const actor = await actorOf(request);
        return services.mailingStats.statistics(
          actor,
          mailingId(request),
          request.query.lang ?? actor.language,
        );
      },
    );
    app.get(
      `${base}/recipients`,
      {
        config: view,
        schema: {
          tags,
          summary:
            'The recipients of a mailing with their message state, first open, clicks and unsubscribe (keyset pages)',
          description: '`state`: a message status, or `opened`, `clicked`, `unsubscribed`.',
          params: mailingParamsSchema,
          querystring: mailingRecipientsQuerySchema,
          response: { 200: mailingRecipientPageSchema },
        },
      },
      async (request) =>
        services.mailingStats.recipients(await actorOf(request), mailingId(request), request.query),
    );
    app.get(
      `${base}/recipients.csv`,
      {
        config: view,
        schema: {
          tags,
          summary:
            'The recipients of a mailing (all or one state) as CSV: address, contact id, status, bounce type, ' +
            'reason, sent at, delivered at, opened at, clicks, unsubscribed',
          params: mailingParamsSchema,
          querystring: mailingExportQuerySchema,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV') },
        },
      },
      async (request, reply) => {
        const actor = await actorOf(request);
        const id = mailingId(request);
        const state = request.query.state;
        const lines = services.mailingStats.recipientsCsv(actor, id, state, actor.language);
        // Pull the header first so a missing mailing is a 404 and not a broken stream.
        const first = await lines.next();
        async function* all() {
          if (!first.done) yield first.value;
          yield* lines;
        }
        const file = `mailing-${id}-recipients${state ? `-${state}` : ''}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file}"`)
          .send(Readable.from(all()) as unknown as string); // a stream: Fastify pipes it, no serialisation
      },
    );
  };
