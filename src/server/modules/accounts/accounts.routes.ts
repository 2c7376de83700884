import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountParamsSchema, accountSchema, updateAccountBodySchema } from '../../../shared/accounts.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';

export const accountRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/accounts/:accountId',
      {
        config: { right: 'member' },
        schema: {
          tags: ['accounts'],
          summary: 'One account the caller can reach',
          params: accountParamsSchema,
          response: { 200: accountSchema },
        },
      },
      async (request) => services.accounts.get(accountOf(request).accountId),
    );

    app.patch(
      '/api/accounts/:accountId',
      {
        config: { right: 'settings.manage' },
        schema: {
          tags: ['accounts'],
          summary: "Change the account's settings: its IANA time zone, in which its calendar days are read",
          params: accountParamsSchema,
          body: updateAccountBodySchema,
          response: { 200: accountSchema },
        },
      },
      async (request) => services.accounts.update(accountOf(request).accountId, request.body),
    );
  };
