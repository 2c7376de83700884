import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  createCustomFieldBodySchema,
  customFieldSchema,
  fieldParamsSchema,
  listParamsSchema,
  subscriberListBodySchema,
  subscriberListSchema,
  tagBodySchema,
  tagParamsSchema,
  tagSchema,
  updateCustomFieldBodySchema,
} from '../../../shared/contacts.ts';
import {
  catalogUsageSchema,
  confirmDeleteQuerySchema,
  type ReferenceKind,
} from '../../../shared/references.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

const view = { right: 'contacts.view' } as const;
const edit = { right: 'contacts.edit' } as const;

/** Tags, subscriber lists and custom field definitions. */
export const catalogRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const catalog = services.catalog;
    const a = '/api/accounts/:accountId';
    const deleteOptions = (request: FastifyRequest<{ Querystring: { confirm?: 'true' | 'false' } }>) => ({
      confirm: request.query.confirm === 'true',
      userId: principalOf(request).userId,
    });
    /** What uses an entry, before deleting it. */
    const usageRoute = (
      path: string,
      kind: ReferenceKind,
      tag: string,
      params: typeof tagParamsSchema | typeof listParamsSchema | typeof fieldParamsSchema,
      idParam: 'tagId' | 'listId' | 'fieldId',
    ) =>
      app.get(
        path,
        {
          config: view,
          schema: {
            tags: [tag],
            summary: 'What uses it: SmartLists and unfinished bulk actions (shown before a delete)',
            params,
            response: { 200: catalogUsageSchema },
          },
        },
        async (request) =>
          catalog.usage(
            accountOf(request).accountId,
            kind,
            Number((request.params as Record<string, string>)[idParam]),
          ),
      );

    app.get(
      `${a}/tags`,
      {
        config: view,
        schema: {
          tags: ['tags'],
          summary: 'List tags with contact counts',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(tagSchema) }) },
        },
      },
      async (request) => ({
        items: await catalog.listTags(accountOf(request).accountId),
      }),
    );
    app.post(
      `${a}/tags`,
      {
        config: edit,
        schema: {
          tags: ['tags'],
          summary: 'Create a tag',
          params: accountParamsSchema,
          body: tagBodySchema,
          response: { 201: tagSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createTag(accountOf(request).accountId, request.body)),
    );
    app.patch(
      `${a}/tags/:tagId`,
      {
        config: edit,
        schema: {
          tags: ['tags'],
          summary: 'Rename or recolour a tag',
          params: tagParamsSchema,
          body: tagBodySchema,
          response: { 200: tagSchema },
        },
      },
      async (request) =>
        catalog.updateTag(accountOf(request).accountId, Number(request.params.tagId), request.body),
    );
    app.delete(
      `${a}/tags/:tagId`,
      {
        config: edit,
        schema: {
          tags: ['tags'],
          summary:
            'Delete a tag (removes it from all contacts); in use and not ?confirm=true: 409 IN_USE with the usage',
          params: tagParamsSchema,
          querystring: confirmDeleteQuerySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await catalog.deleteTag(
          accountOf(request).accountId,
          Number(request.params.tagId),
          deleteOptions(request),
        );
        return reply.status(204).send(null);
      },
    );

    usageRoute(`${a}/tags/:tagId/usage`, 'tag', 'tags', tagParamsSchema, 'tagId');

    app.get(
      `${a}/lists`,
      {
        config: view,
        schema: {
          tags: ['lists'],
          summary: 'List subscriber lists with member counts',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(subscriberListSchema) }) },
        },
      },
      async (request) => ({
        items: await catalog.listLists(accountOf(request).accountId),
      }),
    );
    app.post(
      `${a}/lists`,
      {
        config: edit,
        schema: {
          tags: ['lists'],
          summary: 'Create a subscriber list',
          params: accountParamsSchema,
          body: subscriberListBodySchema,
          response: { 201: subscriberListSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createList(accountOf(request).accountId, request.body)),
    );
    app.patch(
      `${a}/lists/:listId`,
      {
        config: edit,
        schema: {
          tags: ['lists'],
          summary: 'Rename a subscriber list',
          params: listParamsSchema,
          body: subscriberListBodySchema,
          response: { 200: subscriberListSchema },
        },
      },
      async (request) =>
        catalog.updateList(accountOf(request).accountId, Number(request.params.listId), request.body),
    );
    app.delete(
      `${a}/lists/:listId`,
      {
        config: edit,
        schema: {
          tags: ['lists'],
          summary:
            'Delete a subscriber list; in use and not ?confirm=true: 409 IN_USE with the usage, or 409 SUBSTITUTE_IN_USE (details.usage) while it serves as a substitute',
          params: listParamsSchema,
          querystring: confirmDeleteQuerySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await catalog.deleteList(
          accountOf(request).accountId,
          Number(request.params.listId),
          deleteOptions(request),
        );
        return reply.status(204).send(null);
      },
    );

    usageRoute(`${a}/lists/:listId/usage`, 'list', 'lists', listParamsSchema, 'listId');

    app.get(
      `${a}/custom-fields`,
      {
        config: view,
        schema: {
          tags: ['custom fields'],
          summary: 'List custom field definitions',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(customFieldSchema) }) },
        },
      },
      async (request) => ({
        items: await catalog.listFields(accountOf(request).accountId),
      }),
    );
    app.post(
      `${a}/custom-fields`,
      {
        config: { right: 'settings.manage' },
        schema: {
          tags: ['custom fields'],
          summary: 'Define a custom field',
          params: accountParamsSchema,
          body: createCustomFieldBodySchema,
          response: { 201: customFieldSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createField(accountOf(request).accountId, request.body)),
    );
    app.patch(
      `${a}/custom-fields/:fieldId`,
      {
        config: { right: 'settings.manage' },
        schema: {
          tags: ['custom fields'],
          summary: 'Relabel a custom field (key and type are fixed)',
          params: fieldParamsSchema,
          body: updateCustomFieldBodySchema,
          response: { 200: customFieldSchema },
        },
      },
      async (request) =>
        catalog.updateField(accountOf(request).accountId, Number(request.params.fieldId), request.body.label),
    );
    app.delete(
      `${a}/custom-fields/:fieldId`,
      {
        config: { right: 'settings.manage' },
        schema: {
          tags: ['custom fields'],
          summary:
            'Delete a custom field and its values; in use and not ?confirm=true: 409 IN_USE with the usage',
          params: fieldParamsSchema,
          querystring: confirmDeleteQuerySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await catalog.deleteField(
          accountOf(request).accountId,
          Number(request.params.fieldId),
          deleteOptions(request),
        );
        return reply.status(204).send(null);
      },
    );
    usageRoute(
      `${a}/custom-fields/:fieldId/usage`,
      'custom_field',
      'custom fields',
      fieldParamsSchema,
      'fieldId',
    );
  };
