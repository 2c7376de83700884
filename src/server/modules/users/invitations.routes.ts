import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptedInvitationSchema,
  acceptInvitationBodySchema,
  invitationLookupBodySchema,
  invitationLookupSchema,
  myInvitationListSchema,
  myInvitationParamsSchema,
} from '../../../shared/invitations.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

/**
 * The invitee's side: a logged-in user's own invitations, and the public link for new users. The
 * token travels in the body (never the URL, so it stays out of logs), and the link answers only
 * about its own invitation.
 */
export const invitationRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/me/invitations',
      {
        schema: {
          tags: ['me'],
          summary: 'Pending invitations to my email',
          response: { 200: myInvitationListSchema },
        },
      },
      async (request) => ({ items: await services.invitations.mine(principalOf(request).userId) }),
    );

    app.post(
      '/api/me/invitations/:invitationId/accept',
      {
        schema: {
          tags: ['me'],
          summary: 'Accept an invitation: become a member with its role',
          params: myInvitationParamsSchema,
          response: { 200: acceptedInvitationSchema },
        },
      },
      async (request) =>
        services.invitations.acceptMine(principalOf(request).userId, Number(request.params.invitationId)),
    );

    app.post(
      '/api/me/invitations/:invitationId/decline',
      {
        schema: {
          tags: ['me'],
          summary: 'Decline an invitation',
          params: myInvitationParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await services.invitations.declineMine(
          principalOf(request).userId,
          Number(request.params.invitationId),
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/invitations/lookup',
      {
        config: { public: true },
        schema: {
          tags: ['invitations'],
          summary: 'What an invitation link invites to (no session needed)',
          body: invitationLookupBodySchema,
          response: { 200: invitationLookupSchema },
        },
      },
      async (request) => services.invitations.lookup(request.body.token),
    );

    app.post(
      '/api/invitations/accept',
      {
        config: { public: true },
        schema: {
          tags: ['invitations'],
          summary: 'Accept an invitation link as a new user: choose a name and password',
          body: acceptInvitationBodySchema,
          response: { 201: acceptedInvitationSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await services.invitations.acceptAsNewUser(request.body)),
    );
  };
