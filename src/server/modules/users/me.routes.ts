import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiTokenListSchema,
  changePasswordBodySchema,
  createApiTokenBodySchema,
  createdApiTokenSchema,
  meResponseSchema,
  updateSettingsBodySchema,
  userSchema,
} from '../../../shared/auth.ts';
import { principalOf } from '../../plugins/auth.ts';
import { idString } from '../../../shared/primitives.ts';
import type { AppServices } from '../../services.ts';

const tokenParams = z.object({ tokenId: idString() });

/** The caller's own user: profile, settings, password, API tokens. */
export const meRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/me',
      {
        schema: {
          tags: ['me'],
          summary: 'The current user, their accounts and rights',
          response: { 200: meResponseSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return {
          user: await services.users.getUser(principal.userId),
          accounts: await services.users.myAccounts(principal.userId),
          csrfToken: principal.via === 'session' ? principal.csrfToken : null,
        };
      },
    );

    app.patch(
      '/api/me/settings',
      {
        schema: {
          tags: ['me'],
          summary: 'Update basic settings',
          body: updateSettingsBodySchema,
          response: { 200: userSchema },
        },
      },
      async (request) => services.users.updateSettings(principalOf(request).userId, request.body),
    );

    app.post(
      '/api/me/password',
      {
        schema: {
          tags: ['me'],
          summary: 'Change the password; ends your other sessions and revokes all your API tokens',
          body: changePasswordBodySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        await services.users.changePassword(
          principal.userId,
          request.body.currentPassword,
          request.body.newPassword,
          principal.via === 'session' ? principal.sessionId : null,
        );
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/me/tokens',
      {
        schema: {
          tags: ['me'],
          summary: 'List personal API tokens',
          response: { 200: apiTokenListSchema },
        },
      },
      async (request) => ({ items: await services.auth.listApiTokens(principalOf(request).userId) }),
    );

    app.post(
      '/api/me/tokens',
      {
        schema: {
          tags: ['me'],
          summary: 'Create a personal API token (the secret is shown once)',
          body: createApiTokenBodySchema,
          response: { 201: createdApiTokenSchema },
        },
      },
      async (request, reply) => {
        const token = await services.auth.createApiToken(
          principalOf(request).userId,
          request.body.name,
          request.body.expiresInDays,
        );
        return reply.status(201).send(token);
      },
    );

    app.delete(
      '/api/me/tokens/:tokenId',
      {
        schema: {
          tags: ['me'],
          summary: 'Revoke a personal API token',
          params: tokenParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await services.auth.revokeApiToken(principalOf(request).userId, Number(request.params.tokenId));
        return reply.status(204).send(null);
      },
    );
  };
