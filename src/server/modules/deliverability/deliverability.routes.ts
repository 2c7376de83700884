import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  contactDeliverabilityParamsSchema,
  contactDeliverabilitySchema,
} from '../../../shared/deliverability.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import type { AppServices } from '../../services.ts';

/** The contact detail's deliverability panel: email and phone deliverability, opt-out history. */
export const deliverabilityRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/accounts/:accountId/contacts/:contactId/deliverability',
      {
        config: { right: 'contacts.view' },
        schema: {
          tags: ['contacts'],
          summary: "A contact's deliverability (email and phone: state, time, reason) and opt-outs",
          params: contactDeliverabilityParamsSchema,
          response: { 200: contactDeliverabilitySchema },
        },
      },
      async (request) =>
        services.deliverability.forContact(accountOf(request).accountId, Number(request.params.contactId)),
    );
  };
