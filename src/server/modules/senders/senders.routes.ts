// HTTP routes of the sender settings: messaging settings (SMTP, SMS provider, rates, webhooks),
// sender profiles and test messages. Reading the non-secret parts needs `messaging.send`,
// changing anything `settings.manage`.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import {
  messagingSettingsSchema,
  messagingSettingsUpdateSchema,
  senderProfileBodySchema,
  senderProfileParamsSchema,
  senderProfileSchema,
  senderProfileUpdateSchema,
  testEmailBodySchema,
  testSendResultSchema,
  testSmsBodySchema,
  webhookSecretSchema,
} from '../../../shared/senders.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';
import { confirmDeleteQuerySchema } from '../../../shared/references.ts';

const tags = ['sender settings'];
const manage = { right: 'settings.manage' } as const;
const read = { right: 'messaging.send' } as const;

export const senderRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const senders = services.senders;
    const settingsBase = '/api/accounts/:accountId/messaging-settings';
    const profilesBase = '/api/accounts/:accountId/sender-profiles';
    const account = (request: FastifyRequest) => accountOf(request).accountId;
    const userId = (request: FastifyRequest) => principalOf(request).userId;
    const profileId = (request: FastifyRequest) =>
      Number((request.params as { profileId: string }).profileId);

    app.get(
      settingsBase,
      {
        config: read,
        schema: {
          tags,
          summary: 'The messaging settings (secrets never; webhook URLs only with settings.manage)',
          params: accountParamsSchema,
          response: { 200: messagingSettingsSchema },
        },
      },
      async (request) => senders.settings(account(request), accountOf(request).rights.has('settings.manage')),
    );
    app.patch(
      settingsBase,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Change the messaging settings (omitted fields and secrets stay; null removes)',
          params: accountParamsSchema,
          body: messagingSettingsUpdateSchema,
          response: { 200: messagingSettingsSchema },
        },
      },
      async (request) => senders.update(account(request), userId(request), request.body),
    );
    app.post(
      `${settingsBase}/webhook-secret`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Generate a new webhook signing secret (shown only in this answer)',
          params: accountParamsSchema,
          response: { 200: webhookSecretSchema },
        },
      },
      async (request) => senders.regenerateWebhookSecret(account(request), userId(request)),
    );
    app.post(
      `${settingsBase}/test-email`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Send one test email now (a refusal answers ok=false with the server’s words)',
          params: accountParamsSchema,
          body: testEmailBodySchema,
          response: { 200: testSendResultSchema },
        },
      },
      async (request) => senders.testEmail(account(request), request.body),
    );
    app.post(
      `${settingsBase}/test-sms`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Send one test SMS now (a refusal answers ok=false with the provider’s words)',
          params: accountParamsSchema,
          body: testSmsBodySchema,
          response: { 200: testSendResultSchema },
        },
      },
      async (request) => senders.testSms(account(request), request.body),
    );

    app.get(
      profilesBase,
      {
        config: read,
        schema: {
          tags,
          summary: 'Sender profiles (the default first)',
          params: accountParamsSchema,
          response: { 200: z.object({ items: z.array(senderProfileSchema) }) },
        },
      },
      async (request) => ({ items: await senders.profiles(account(request)) }),
    );
    app.post(
      profilesBase,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Create a sender profile (the first one becomes the default)',
          params: accountParamsSchema,
          body: senderProfileBodySchema,
          response: { 201: senderProfileSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await senders.createProfile(account(request), request.body)),
    );
    app.patch(
      `${profilesBase}/:profileId`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Change a sender profile',
          params: senderProfileParamsSchema,
          body: senderProfileUpdateSchema,
          response: { 200: senderProfileSchema },
        },
      },
      async (request) => senders.updateProfile(account(request), profileId(request), request.body),
    );
    app.delete(
      `${profilesBase}/:profileId`,
      {
        config: manage,
        schema: {
          tags,
          summary:
            'Delete a sender profile; serving as a substitute and not ?confirm=true: 409 SUBSTITUTE_IN_USE with details.usage',
          params: senderProfileParamsSchema,
          querystring: confirmDeleteQuerySchema,
        },
      },
      async (request, reply) => {
        await senders.deleteProfile(account(request), profileId(request), request.query.confirm === 'true');
        return reply.status(204).send();
      },
    );
  };
