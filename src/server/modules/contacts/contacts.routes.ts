import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  type Contact,
  contactListParamsSchema,
  contactPageSchema,
  contactParamsSchema,
  contactSchema,
  contactTagParamsSchema,
  createContactBodySchema,
  listContactsQuerySchema,
  updateContactBodySchema,
} from '../../../shared/contacts.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

const tags = ['contacts'];

export const contactRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const contacts = services.contacts;
    const base = '/api/accounts/:accountId/contacts';

    app.get(
      base,
      {
        config: { right: 'contacts.view' },
        schema: {
          tags,
          summary: 'List contacts: search, SmartList and filter, keyset pagination',
          params: accountParamsSchema,
          querystring: listContactsQuerySchema,
          response: { 200: contactPageSchema },
        },
      },
      async (request) => contacts.list(accountOf(request).accountId, request.query),
    );

    app.post(
      base,
      {
        config: { right: 'contacts.edit' },
        schema: {
          tags,
          summary: 'Create a contact',
          params: accountParamsSchema,
          body: createContactBodySchema,
          response: { 201: contactSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await contacts.create(accountOf(request).accountId, principalOf(request).userId, request.body),
          ),
    );

    app.get(
      `${base}/:contactId`,
      {
        config: { right: 'contacts.view' },
        schema: {
          tags,
          summary: 'One contact',
          params: contactParamsSchema,
          response: { 200: contactSchema },
        },
      },
      async (request) => contacts.get(accountOf(request).accountId, Number(request.params.contactId)),
    );

    app.patch(
      `${base}/:contactId`,
      {
        config: { right: 'contacts.edit' },
        schema: {
          tags,
          summary: 'Update a contact',
          params: contactParamsSchema,
          body: updateContactBodySchema,
          response: { 200: contactSchema },
        },
      },
      async (request) =>
        contacts.update(
          accountOf(request).accountId,
          principalOf(request).userId,
          Number(request.params.contactId),
          request.body,
        ),
    );

    app.delete(
      `${base}/:contactId`,
      {
        config: { right: 'contacts.delete' },
        schema: {
          tags,
          summary: 'Delete a contact',
          params: contactParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await contacts.remove(
          accountOf(request).accountId,
          principalOf(request).userId,
          Number(request.params.contactId),
        );
        return reply.status(204).send(null);
      },
    );

    const membership = (
      method: 'PUT' | 'DELETE',
      path: string,
      params: typeof contactTagParamsSchema | typeof contactListParamsSchema,
      summary: string,
      change: (
        accountId: ReturnType<typeof accountOf>['accountId'],
        userId: number,
        contactId: number,
        otherId: number,
      ) => Promise<Contact>,
    ) =>
      app.route({
        method,
        url: `${base}/:contactId/${path}`,
        config: { right: 'contacts.edit' },
        schema: { tags, summary, params, response: { 200: contactSchema } },
        handler: async (request) => {
          const p = request.params as Record<string, string>;
          const other = Number(p.tagId ?? p.listId);
          return change(
            accountOf(request).accountId,
            principalOf(request).userId,
            Number(p.contactId),
            other,
          );
        },
      });
    membership('PUT', 'tags/:tagId', contactTagParamsSchema, 'Tag a contact', (a, u, c, t) =>
      contacts.addTag(a, u, c, t),
    );
    membership('DELETE', 'tags/:tagId', contactTagParamsSchema, 'Untag a contact', (a, u, c, t) =>
      contacts.removeTag(a, u, c, t),
    );
    membership(
      'PUT',
      'lists/:listId',
      contactListParamsSchema,
      'Add a contact to a subscriber list',
      (a, u, c, l) => contacts.addToList(a, u, c, l),
    );
    membership(
      'DELETE',
      'lists/:listId',
      contactListParamsSchema,
      'Remove a contact from a subscriber list',
      (a, u, c, l) => contacts.removeFromList(a, u, c, l),
    );
  };
