import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  auditListSchema,
  type BulkAction,
  bulkActionPageSchema,
  bulkActionParamsSchema,
  bulkActionSchema,
  bulkPreviewSchema,
  bulkStatsQuerySchema,
  bulkStatsSchema,
  createBulkActionBodySchema,
  editScheduleBodySchema,
  idempotencyHeadersSchema,
  errorsCsvQuerySchema,
  listBulkActionsQuerySchema,
  renameBodySchema,
  restorePreviewSchema,
} from '../../../shared/bulk-actions.ts';
import { accountOf, actorOf as requestActor } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';
import type { Actor } from '../../jobs/types.ts';
import type { CreatedAnswer } from '../../engine/idempotency.ts';

const tags = ['bulk actions'];
const IDEMPOTENCY_NOTE =
  'With an `Idempotency-Key` header, the same key and request (same user and account) within 24 hours ' +
  'answer with the first answer again (header `idempotent-replayed: true`); the same key with another ' +
  'request answers 409 CONFLICT (details.reason `idempotency_key_reused`).';
const view = { right: 'contacts.view' } as const;
// Controls are for the action's creator or contacts.bulk holders: the service decides per action.
const member = { right: 'member' } as const;

export const bulkActionRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const bulk = services.bulkActions;
    const base = '/api/accounts/:accountId/bulk-actions';
    const actorOf = (request: FastifyRequest): Promise<Actor> => requestActor(services.users, request);
    const actionId = (request: FastifyRequest) => Number((request.params as { actionId: string }).actionId);
    const idempotencyKey = (request: FastifyRequest) =>
      (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
    const created = (reply: FastifyReply, answer: CreatedAnswer) =>
      reply
        .status(answer.statusCode)
        .header('idempotent-replayed', String(answer.replayed))
        .send(answer.action);

    app.get(
      base,
      {
        config: view,
        schema: {
          tags,
          summary: 'List bulk actions (filters: status, type, created by, date range)',
          params: accountParamsSchema,
          querystring: listBulkActionsQuerySchema,
          response: { 200: bulkActionPageSchema },
        },
      },
      async (request) => bulk.list(await actorOf(request), request.query),
    );
    app.post(
      `${base}/preview`,
      {
        config: { right: 'contacts.bulk' },
        schema: {
          tags,
          summary: 'Count and name of an action before it is created',
          params: accountParamsSchema,
          body: createBulkActionBodySchema,
          response: { 200: bulkPreviewSchema },
        },
      },
      async (request) => services.contactBulk.preview(await actorOf(request), request.body),
    );
    app.post(
      base,
      {
        config: { right: 'contacts.bulk' },
        schema: {
          tags,
          summary: 'Start a bulk action: the selection is frozen now, the work runs in the background',
          description: IDEMPOTENCY_NOTE,
          params: accountParamsSchema,
          headers: idempotencyHeadersSchema,
          body: createBulkActionBodySchema,
          response: { 201: bulkActionSchema },
        },
      },
      async (request, reply) => {
        const actor = await actorOf(request);
        return created(
          reply,
          await bulk.once(actor, idempotencyKey(request), { scope: 'create', body: request.body }, () =>
            services.contactBulk.create(actor, request.body),
          ),
        );
      },
    );
    app.get(
      `${base}/:actionId`,
      {
        config: view,
        schema: {
          tags,
          summary: 'One bulk action',
          params: bulkActionParamsSchema,
          response: { 200: bulkActionSchema },
        },
      },
      async (request) => bulk.get(await actorOf(request), actionId(request)),
    );
    app.patch(
      `${base}/:actionId`,
      {
        config: member,
        schema: {
          tags,
          summary: 'Rename a bulk action',
          params: bulkActionParamsSchema,
          body: renameBodySchema,
          response: { 200: bulkActionSchema },
        },
      },
      async (request) => bulk.rename(await actorOf(request), actionId(request), request.body.name),
    );
    app.get(
      `${base}/:actionId/stats`,
      {
        config: view,
        schema: {
          tags,
          summary: 'Totals, outcomes, duration, throughput and failure reasons (labelled in `lang`)',
          params: bulkActionParamsSchema,
          querystring: bulkStatsQuerySchema,
          response: { 200: bulkStatsSchema },
        },
      },
      async (request) =>
        services.bulkReports.stats(
          accountOf(request).accountId,
          actionId(request),
          // As for the error log: the language the UI shows, else the user's setting.
          request.query.lang ?? (await actorOf(request)).language,
        ),
    );
    app.get(
      `${base}/:actionId/audit`,
      {
        config: view,
        schema: {
          tags,
          summary: 'Who did what to this action, and when',
          params: bulkActionParamsSchema,
          response: { 200: auditListSchema },
        },
      },
      async (request) => ({
        items: await services.bulkReports.audit(accountOf(request).accountId, actionId(request)),
      }),
    );
    app.get(
      `${base}/:actionId/errors.csv`,
      {
        config: view,
        schema: {
          tags,
          summary: 'The error log as CSV: contact id, email or phone, outcome, reason, details, reason code',
          params: bulkActionParamsSchema,
          querystring: errorsCsvQuerySchema,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV') },
        },
      },
      async (request, reply) => {
        const id = actionId(request);
        // The language the UI shows (`lang`), else the user's setting: headers and reasons read in it.
        const language = request.query.lang ?? (await actorOf(request)).language;
        const lines = services.bulkReports.errorsCsv(accountOf(request).accountId, id, language);
        // Pull the header first so a missing action is a 404 and not a broken stream.
        const first = await lines.next();
        async function* all() {
          if (!first.done) yield first.value;
          yield* lines;
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="bulk-action-${id}-errors.csv"`)
          .send(Readable.from(all()) as unknown as string); // a stream: Fastify pipes it, no serialisation
      },
    );

    const control = (path: string, summary: string, run: (actor: Actor, id: number) => Promise<BulkAction>) =>
      app.post(
        `${base}/:actionId/${path}`,
        {
          config: member,
          schema: { tags, summary, params: bulkActionParamsSchema, response: { 200: bulkActionSchema } },
        },
        async (request) => run(await actorOf(request), actionId(request)),
      );
    control('pause', 'Pause after the running chunk', (a, id) => bulk.pause(a, id));
    control('resume', 'Resume a paused action', (a, id) => bulk.resume(a, id));
    control('cancel', 'Stop the rest; processed items stay as they are', (a, id) => bulk.cancel(a, id));

    // Restore, retry failed and undo create a new action: the rights of the change it makes, at
    // most one of each in flight per source (409 naming it), and an optional Idempotency-Key.
    const derive = (path: string, summary: string, run: (actor: Actor, id: number) => Promise<BulkAction>) =>
      app.post(
        `${base}/:actionId/${path}`,
        {
          config: member,
          schema: {
            tags,
            summary,
            description: IDEMPOTENCY_NOTE,
            params: bulkActionParamsSchema,
            headers: idempotencyHeadersSchema,
            response: { 201: bulkActionSchema },
          },
        },
        async (request, reply) => {
          const actor = await actorOf(request);
          const id = actionId(request);
          return created(
            reply,
            await bulk.once(actor, idempotencyKey(request), { scope: `${path}:${id}` }, () => run(actor, id)),
          );
        },
      );
    derive('restore', 'Queue a restore of the contacts this delete job removed', (a, id) =>
      bulk.restore(a, id),
    );
    derive('retry-failed', 'Queue a new action over the failed items', (a, id) => bulk.retryFailed(a, id));
    derive('undo', 'Queue a new action that reverses what this tag action changed', (a, id) =>
      bulk.undo(a, id),
    );

    app.post(
      `${base}/:actionId/schedule`,
      {
        config: member,
        schema: {
          tags,
          summary: 'Change when a queued action runs',
          params: bulkActionParamsSchema,
          body: editScheduleBodySchema,
          response: { 200: bulkActionSchema },
        },
      },
      async (request) =>
        bulk.editSchedule(await actorOf(request), actionId(request), request.body.scheduledFor),
    );
    app.get(
      `${base}/:actionId/restore-preview`,
      {
        config: { right: 'contacts.restore' },
        schema: {
          tags,
          summary: 'How many contacts a restore brings back, and until when it is possible',
          params: bulkActionParamsSchema,
          response: { 200: restorePreviewSchema },
        },
      },
      async (request) => bulk.restorePreview(await actorOf(request), actionId(request)),
    );
  };
