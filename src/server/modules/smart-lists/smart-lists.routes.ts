import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  countSchema,
  createSmartListBodySchema,
  filterPreviewBodySchema,
  selectionPreviewBodySchema,
  selectionPreviewSchema,
  smartListParamsSchema,
  smartListSchema,
  updateSmartListBodySchema,
} from '../../../shared/contacts.ts';
import { confirmDeleteQuerySchema } from '../../../shared/references.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

const tags = ['smart lists'];

export const smartListRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const lists = services.smartLists;
    const base = '/api/accounts/:accountId/smart-lists';

    app.get(
      base,
      {
        config: { right: 'contacts.view' },
        schema: {
          tags,
          summary: 'List SmartLists',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(smartListSchema) }) },
        },
      },
      async (request) => ({
        items: await lists.list(accountOf(request).accountId),
      }),
    );
    app.post(
      base,
      {
        config: { right: 'contacts.edit' },
        schema: {
          tags,
          summary: 'Save a filter as a SmartList',
          params: accountParamsSchema,
          body: createSmartListBodySchema,
          response: { 201: smartListSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await lists.create(accountOf(request).accountId, principalOf(request).userId, request.body)),
    );
    app.post(
      `${base}/preview`,
      {
        config: { right: 'contacts.view' },
        schema: {
          tags,
          summary: 'Count the contacts a filter matches',
          params: accountParamsSchema,
          body: filterPreviewBodySchema,
          response: { 200: countSchema },
        },
      },
      async (request) => ({
        count: await lists.count(accountOf(request).accountId, request.body.filter),
      }),
    );
    app.get(
      `${base}/:smartListId`,
      {
        config: { right: 'contacts.view' },
        schema: {
          tags,
          summary: 'One SmartList',
          params: smartListParamsSchema,
          response: { 200: smartListSchema },
        },
      },
      async (request) => lists.get(accountOf(request).accountId, Number(request.params.smartListId)),
    );
    app.get(
      `${base}/:smartListId/count`,
      {
        config: { right: 'contacts.view' },
        schema: {
          tags,
          summary: 'Live count of a SmartList',
          params: smartListParamsSchema,
          response: { 200: countSchema },
        },
      },
      async (request) => ({
        count: await lists.countSaved(accountOf(request).accountId, Number(request.params.smartListId)),
      }),
    );
    app.patch(
      `${base}/:smartListId`,
      {
        config: { right: 'contacts.edit' },
        schema: {
          tags,
          summary: 'Rename a SmartList or change its filter',
          params: smartListParamsSchema,
          body: updateSmartListBodySchema,
          response: { 200: smartListSchema },
        },
      },
      async (request) =>
        lists.update(accountOf(request).accountId, Number(request.params.smartListId), request.body),
    );
    app.delete(
      `${base}/:smartListId`,
      {
        config: { right: 'contacts.edit' },
        schema: {
          tags,
          summary:
            'Delete a SmartList; serving as a substitute and not ?confirm=true: 409 SUBSTITUTE_IN_USE with details.usage',
          params: smartListParamsSchema,
          querystring: confirmDeleteQuerySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await lists.remove(
          accountOf(request).accountId,
          Number(request.params.smartListId),
          request.query.confirm === 'true',
        );
        return reply.status(204).send(null);
      },
    );
    app.delete(
      `${base}/:smartListId/notes`,
      {
        config: { right: 'contacts.edit' },
        schema: {
          tags,
          summary: 'Dismiss the notes about conditions removed with a deleted tag, list or field',
          params: smartListParamsSchema,
          response: { 200: smartListSchema },
        },
      },
      async (request) => lists.dismissNotes(accountOf(request).accountId, Number(request.params.smartListId)),
    );

    app.post(
      '/api/accounts/:accountId/selections/preview',
      {
        config: { right: 'contacts.view' },
        schema: {
          tags: ['selections'],
          summary: 'Exact count and a sample of a selection (ids, SmartList or filter, minus exclusions)',
          params: accountParamsSchema,
          body: selectionPreviewBodySchema,
          response: { 200: selectionPreviewSchema },
        },
      },
      async (request) =>
        services.selections.preview(
          accountOf(request).accountId,
          request.body.selection,
          request.body.sampleSize ?? 10,
        ),
    );
  };
