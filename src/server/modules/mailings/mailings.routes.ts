// Standard mailings: CRUD, the live audience count, schedule / send now, reschedule, pause,
// resume, cancel and the corrected re-send. Routes validate and map status codes; MailingsService
// holds the rules. Rights: contacts.view to read, mailings.manage to edit, messaging.send to send.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import { idempotencyHeadersSchema } from '../../../shared/bulk-actions.ts';
import {
  audienceCountSchema,
  audienceQueryBodySchema,
  listMailingsQuerySchema,
  mailingBodySchema,
  mailingPageSchema,
  mailingParamsSchema,
  mailingSchema,
  rescheduleMailingBodySchema,
  resendMailingBodySchema,
  scheduleMailingBodySchema,
  updateMailingBodySchema,
} from '../../../shared/mailings.ts';
import { activationBodySchema } from '../../../shared/distribution.ts';
import { confirmDeleteQuerySchema } from '../../../shared/references.ts';
import { accountOf, actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { Actor } from '../../jobs/types.ts';
import type { AppServices } from '../../services.ts';

const tags = ['mailings'];
const view = { right: 'contacts.view' } as const;
const manage = { right: 'mailings.manage' } as const;
const send = { right: 'messaging.send' } as const;

export const mailingRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const mailings = services.mailings;
    const base = '/api/accounts/:accountId/mailings';
    const one = `${base}/:mailingId`;
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const mailingId = (request: FastifyRequest) =>
      Number((request.params as { mailingId: string }).mailingId);

    app.get(
      base,
      {
        config: view,
        schema: {
          tags,
          summary: 'List mailings, newest first (filter by status and name), with key figures; a keyset page',
          params: accountParamsSchema,
          querystring: listMailingsQuerySchema,
          response: { 200: mailingPageSchema },
        },
      },
      async (request) => mailings.list(accountOf(request).accountId, request.query),
    );
    app.post(
      base,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Create a mailing (a draft)',
          description:
            'Content is a template (`templateId`, an email template) or own `subject` + `html`, not both ' +
            '(400 VALIDATION_FAILED). Unknown merge fields are 400 TEMPLATE_INVALID; a taken name 409 CONFLICT; ' +
            "another account's template, sender profile, list or target group 404.",
          params: accountParamsSchema,
          body: mailingBodySchema,
          response: { 201: mailingSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await mailings.create(await actorOf(request), request.body)),
    );
    app.post(
      `${base}/audience`,
      {
        config: view,
        schema: {
          tags,
          summary: 'Count the audience of lists × target groups (the editor’s live count; nothing is saved)',
          description:
            'Steps: list members, in any target group, with consent and a sendable address (each address ' +
            'once); with `resendOf` also those the family already reached. Deleted or invalid parts are named ' +
            'in `problems` (the count is then 0).',
          params: accountParamsSchema,
          body: audienceQueryBodySchema,
          response: { 200: audienceCountSchema },
        },
      },
      async (request) => mailings.countFor(accountOf(request).accountId, request.body),
    );
    app.get(
      one,
      {
        config: view,
        schema: {
          tags,
          summary: 'One mailing',
          params: mailingParamsSchema,
          response: { 200: mailingSchema },
        },
      },
      async (request) => mailings.get(accountOf(request).accountId, mailingId(request)),
    );
    app.patch(
      one,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Edit a draft, or a scheduled mailing before its send started (409 MAILING_BUSY otherwise)',
          params: mailingParamsSchema,
          body: updateMailingBodySchema,
          response: { 200: mailingSchema },
        },
      },
      async (request) => mailings.update(await actorOf(request), mailingId(request), request.body),
    );
    app.delete(
      one,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Delete a mailing (409 MAILING_BUSY once it has a send); serving as a substitute and not ?confirm=true: 409 SUBSTITUTE_IN_USE with details.usage',
          params: mailingParamsSchema,
          querystring: confirmDeleteQuerySchema,
        },
      },
      async (request, reply) => {
        await mailings.remove(await actorOf(request), mailingId(request), request.query.confirm === 'true');
        return reply.status(204).send();
      },
    );
    app.put(
      `${one}/activation`,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Activate or deactivate a mailing: an inactive one does not send (a scheduled one is held, its slot kept); 409 MAILING_BUSY while its send runs',
          params: mailingParamsSchema,
          body: activationBodySchema,
          response: { 200: mailingSchema },
        },
      },
      async (request) => mailings.setActive(await actorOf(request), mailingId(request), request.body.active),
    );
    app.get(
      `${one}/audience`,
      {
        config: view,
        schema: {
          tags,
          summary: 'The saved mailing’s audience now (a re-send: without whom its family already reached)',
          params: mailingParamsSchema,
          response: { 200: audienceCountSchema },
        },
      },
      async (request) => mailings.countSaved(accountOf(request).accountId, mailingId(request)),
    );
    app.post(
      `${one}/schedule`,
      {
        config: send,
        schema: {
          tags,
          summary: 'Schedule a draft, or send it now without `scheduledFor`',
          description:
            '400 MAILING_INCOMPLETE (`details.missing`: content, sender, audience); 400 NO_RECIPIENTS ' +
            '(`details.audience`) when nobody would receive it right now, unless `confirmEmpty`; 409 MAILING_BUSY ' +
            'when it is not a draft or another mailing of its family is being sent. A time without offset is ' +
            "read in the account's time zone. With an `Idempotency-Key` header, the same key and request within " +
            '24 hours answer the first answer again (header `idempotent-replayed: true`).',
          params: mailingParamsSchema,
          headers: idempotencyHeadersSchema,
          body: scheduleMailingBodySchema,
          response: { 200: mailingSchema },
        },
      },
      async (request, reply) => {
        const key = (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
        const answer = await mailings.scheduleOnce(
          await actorOf(request),
          mailingId(request),
          request.body,
          key,
        );
        return reply.header('idempotent-replayed', String(answer.replayed)).send(answer.mailing);
      },
    );
    app.post(
      `${one}/reschedule`,
      {
        config: send,
        schema: {
          tags,
          summary:
            'Move the slot of a scheduled mailing before its send started (409 MAILING_BUSY otherwise)',
          params: mailingParamsSchema,
          body: rescheduleMailingBodySchema,
          response: { 200: mailingSchema },
        },
      },
      async (request) =>
        mailings.reschedule(await actorOf(request), mailingId(request), request.body.scheduledFor),
    );
    for (const control of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `${one}/${control}`,
        {
          config: send,
          schema: {
            tags,
            summary: {
              pause: 'Pause: before the slot the mailing is held, during the send its action pauses',
              resume: 'Resume a held mailing (a passed slot starts at the next tick) or its paused send',
              cancel: 'Cancel before the slot, or stop the send (messages already sent stay sent)',
            }[control],
            params: mailingParamsSchema,
            response: { 200: mailingSchema },
          },
        },
        async (request) => mailings[control](await actorOf(request), mailingId(request)),
      );
    }
    app.post(
      `${one}/resend`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Corrected re-send: a new draft in the family that goes only to whom it has not reached',
          description:
            'From a sent or failed mailing (409 MAILING_BUSY otherwise): its content, sender, lists and target ' +
            'groups, changed by the body; `includeFailed` also sends to those whose message failed or soft-bounced.',
          params: mailingParamsSchema,
          body: resendMailingBodySchema,
          response: { 201: mailingSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await mailings.resend(await actorOf(request), mailingId(request), request.body)),
    );
  };
