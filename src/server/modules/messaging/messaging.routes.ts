// Bulk email and bulk SMS: preview, start (with Idempotency-Key), delivery results and the
// recipient table of a send. Routes validate and map status codes; MessagingService holds the rules.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  bulkActionParamsSchema,
  bulkActionSchema,
  bulkStatsQuerySchema,
  idempotencyHeadersSchema,
} from '../../../shared/bulk-actions.ts';
import {
  deliveryResultsSchema,
  ledgerMessageSchema,
  messagingPreviewSchema,
  messagingSendBodySchema,
} from '../../../shared/bulk-messaging.ts';
import { pageSchema } from '../../../shared/primitives.ts';
import { actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';
import type { Actor } from '../../jobs/types.ts';
import { ledgerPageQuerySchema } from './messaging.service.ts';

const tags = ['messaging'];
const send = { right: 'messaging.send' } as const;
const view = { right: 'contacts.view' } as const;

export const messagingRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const base = '/api/accounts/:accountId';
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const actionId = (request: FastifyRequest) => Number((request.params as { actionId: string }).actionId);

    app.post(
      `${base}/messaging/preview`,
      {
        config: send,
        schema: {
          tags,
          summary:
            'What a bulk email or SMS would do: recipients, skipped by reason, missing fields, SMS segments',
          params: accountParamsSchema,
          body: messagingSendBodySchema,
          response: { 200: messagingPreviewSchema },
        },
      },
      async (request) => services.messaging.preview(await actorOf(request), request.body),
    );
    app.post(
      `${base}/messaging/sends`,
      {
        config: send,
        schema: {
          tags,
          summary: 'Start a bulk email or SMS (a bulk action of type bulk_email / bulk_sms)',
          description:
            'Zero sendable recipients answer 400 NO_RECIPIENTS (the preview in details) unless `confirmEmpty`. ' +
            'With an `Idempotency-Key` header, the same key and request within 24 hours answer with the first ' +
            'answer again (header `idempotent-replayed: true`); the same key with another request answers 409.',
          params: accountParamsSchema,
          headers: idempotencyHeadersSchema,
          body: messagingSendBodySchema,
          response: { 201: bulkActionSchema },
        },
      },
      async (request, reply) => {
        const actor = await actorOf(request);
        const key = (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
        const answer = await services.bulkActions.once(
          actor,
          key,
          { scope: 'messaging.send', body: request.body },
          () => services.messaging.create(actor, request.body),
        );
        return reply
          .status(answer.statusCode as 201)
          .header('idempotent-replayed', String(answer.replayed))
          .send(answer.action);
      },
    );
    app.get(
      `${base}/bulk-actions/:actionId/deliveries`,
      {
        config: view,
        schema: {
          tags,
          summary:
            'Delivery results of a bulk email or SMS (from its send ledger), reasons labelled in `lang`',
          params: bulkActionParamsSchema,
          querystring: bulkStatsQuerySchema,
          response: { 200: deliveryResultsSchema },
        },
      },
      async (request) => {
        const actor = await actorOf(request);
        return services.messaging.results(actor, actionId(request), request.query.lang ?? actor.language);
      },
    );
    app.get(
      `${base}/bulk-actions/:actionId/messages`,
      {
        config: view,
        schema: {
          tags,
          summary: 'The recipients of a bulk email or SMS with their message state (keyset pages)',
          params: bulkActionParamsSchema,
          querystring: ledgerPageQuerySchema,
          response: { 200: pageSchema(ledgerMessageSchema) },
        },
      },
      async (request) =>
        services.messaging.messages(await actorOf(request), actionId(request), request.query),
    );
  };
