import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accountParamsSchema,
  addMemberBodySchema,
  memberListSchema,
  memberParamsSchema,
  memberSchema,
  updateMemberBodySchema,
} from '../../../shared/accounts.ts';
import {
  invitationListSchema,
  invitationParamsSchema,
  invitationSchema,
} from '../../../shared/invitations.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

/** User management of one account (members and invitations), for holders of users.manage. */
export const memberRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { right: 'users.manage' } as const;

    app.get(
      '/api/accounts/:accountId/members',
      {
        config,
        schema: {
          tags: ['users'],
          summary: 'List members',
          params: accountParamsSchema,
          response: { 200: memberListSchema },
        },
      },
      async (request) => ({ items: await services.users.listMembers(accountOf(request).accountId) }),
    );

    app.post(
      '/api/accounts/:accountId/members',
      {
        config,
        schema: {
          tags: ['users'],
          summary: 'Invite someone by email (the same answer whether or not the address has a login)',
          params: accountParamsSchema,
          body: addMemberBodySchema,
          response: { 202: invitationSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await services.invitations.invite(accountOf(request), principalOf(request).userId, request.body),
          ),
    );

    app.get(
      '/api/accounts/:accountId/invitations',
      {
        config,
        schema: {
          tags: ['users'],
          summary: 'List pending invitations',
          params: accountParamsSchema,
          response: { 200: invitationListSchema },
        },
      },
      async (request) => ({ items: await services.invitations.list(accountOf(request).accountId) }),
    );

    app.delete(
      '/api/accounts/:accountId/invitations/:invitationId',
      {
        config,
        schema: {
          tags: ['users'],
          summary: 'Revoke a pending invitation (its link stops working)',
          params: invitationParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await services.invitations.revoke(accountOf(request).accountId, Number(request.params.invitationId));
        return reply.status(204).send(null);
      },
    );

    app.patch(
      '/api/accounts/:accountId/members/:userId',
      {
        config,
        schema: {
          tags: ['users'],
          summary: "Change a member's role",
          params: memberParamsSchema,
          body: updateMemberBodySchema,
          response: { 200: memberSchema },
        },
      },
      async (request) =>
        services.users.changeRole(accountOf(request), Number(request.params.userId), request.body.role),
    );

    app.delete(
      '/api/accounts/:accountId/members/:userId',
      {
        config,
        schema: {
          tags: ['users'],
          summary: 'Remove a member',
          params: memberParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await services.users.removeMember(
          accountOf(request),
          principalOf(request).userId,
          Number(request.params.userId),
        );
        return reply.status(204).send(null);
      },
    );
  };
