import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  createTemplateBodySchema,
  mergeFieldSchema,
  messageTemplateSchema,
  templateListQuerySchema,
  templatePageSchema,
  templateParamsSchema,
  templatePreviewBodySchema,
  templatePreviewSchema,
  updateTemplateBodySchema,
} from '../../../shared/templates.ts';
import type { Right } from '../../../shared/rights.ts';
import { activationBodySchema } from '../../../shared/distribution.ts';
import { confirmDeleteQuerySchema } from '../../../shared/references.ts';
import { AppError } from '../../errors.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

const tags = ['templates'];
/** Reading templates and previewing them with contacts' data. */
const view = { right: 'contacts.view' } as const;
/** Editing templates needs either of these (a mailer without bulk SMS rights, or a sender). */
export const TEMPLATE_EDIT_RIGHTS: readonly Right[] = ['messaging.send', 'mailings.manage'];

/** Runs after the account scope (which checked `contacts.view`): the caller must also hold an edit right. */
async function requireEditRight(request: FastifyRequest): Promise<void> {
  const { rights } = accountOf(request);
  if (!TEMPLATE_EDIT_RIGHTS.some((r) => rights.has(r))) {
    throw new AppError(
      'FORBIDDEN',
      `Editing templates needs the right '${TEMPLATE_EDIT_RIGHTS.join("' or '")}'`,
      {
        right: TEMPLATE_EDIT_RIGHTS[0],
      },
    );
  }
}

/** Email and SMS templates, the merge-field catalog and the preview. */
export const templateRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const templates = services.templates;
    const a = '/api/accounts/:accountId';
    const base = `${a}/templates`;

    app.get(
      `${a}/merge-fields`,
      {
        config: view,
        schema: {
          tags,
          summary: 'The merge fields templates may use: standard, custom (by key) and system fields',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(mergeFieldSchema) }) },
        },
      },
      async (request) => ({ items: await templates.mergeFields(accountOf(request).accountId) }),
    );

    app.get(
      base,
      {
        config: view,
        schema: {
          tags,
          summary: 'List templates by name (filter by channel, search in the name), a keyset page',
          params: accountParamsSchema,
          querystring: templateListQuerySchema,
          response: { 200: templatePageSchema },
        },
      },
      async (request) => templates.list(accountOf(request).accountId, request.query),
    );

    app.post(
      base,
      {
        config: view,
        preHandler: requireEditRight,
        schema: {
          tags,
          summary:
            'Create a template (right messaging.send or mailings.manage). A syntax error or an unknown merge field is 400 TEMPLATE_INVALID; a taken name 409 CONFLICT',
          params: accountParamsSchema,
          body: createTemplateBodySchema,
          response: { 201: messageTemplateSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await templates.create(accountOf(request).accountId, principalOf(request).userId, request.body),
          ),
    );

    app.post(
      `${base}/preview`,
      {
        config: view,
        schema: {
          tags,
          summary:
            'Render a saved template or unsaved content for a contact; with a selection, count who lacks each used field',
          params: accountParamsSchema,
          body: templatePreviewBodySchema,
          response: { 200: templatePreviewSchema },
        },
      },
      async (request) => templates.preview(accountOf(request).accountId, request.body),
    );

    app.get(
      `${base}/:templateId`,
      {
        config: view,
        schema: {
          tags,
          summary: 'One template',
          params: templateParamsSchema,
          response: { 200: messageTemplateSchema },
        },
      },
      async (request) => templates.get(accountOf(request).accountId, Number(request.params.templateId)),
    );

    app.patch(
      `${base}/:templateId`,
      {
        config: view,
        preHandler: requireEditRight,
        schema: {
          tags,
          summary: 'Change a template (right messaging.send or mailings.manage); checked like a new one',
          params: templateParamsSchema,
          body: updateTemplateBodySchema,
          response: { 200: messageTemplateSchema },
        },
      },
      async (request) =>
        templates.update(
          accountOf(request).accountId,
          Number(request.params.templateId),
          principalOf(request).userId,
          request.body,
        ),
    );

    app.delete(
      `${base}/:templateId`,
      {
        config: view,
        preHandler: requireEditRight,
        schema: {
          tags,
          summary:
            'Delete a template (right messaging.send or mailings.manage); 409 IN_USE while an unfinished bulk action uses it; serving as a substitute and not ?confirm=true: 409 SUBSTITUTE_IN_USE with details.usage',
          params: templateParamsSchema,
          querystring: confirmDeleteQuerySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await templates.remove(
          accountOf(request).accountId,
          Number(request.params.templateId),
          request.query.confirm === 'true',
        );
        return reply.status(204).send(null);
      },
    );

    app.put(
      `${base}/:templateId/activation`,
      {
        config: { right: 'mailings.manage' },
        schema: {
          tags,
          summary:
            'Activate or deactivate a template (right mailings.manage); an inactive one cannot be used for new sends',
          params: templateParamsSchema,
          body: activationBodySchema,
          response: { 200: messageTemplateSchema },
        },
      },
      async (request) =>
        templates.setActive(
          accountOf(request).accountId,
          Number(request.params.templateId),
          principalOf(request).userId,
          request.body.active,
        ),
    );
  };
