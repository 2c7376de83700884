import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import { idString } from '../../../shared/primitives.ts';
import {
  changedCountSchema,
  deleteNotificationsBodySchema,
  emailPreferencesSchema,
  markNotificationsBodySchema,
  notificationListQuerySchema,
  notificationPageSchema,
  notificationSchema,
  outboxPageSchema,
  unreadCountSchema,
  unreadCountsSchema,
  updateEmailPreferencesBodySchema,
} from '../../../shared/notifications.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';

const tags = ['notifications'];
const view = { right: 'notifications.view' } as const;
const notificationParams = accountParamsSchema.extend({
  notificationId: idString(),
});

/** The reader's API: a user's notifications in an account, and their own counts and email settings. */
export const notificationRoutes =
  (services: AppServices): FastifyPluginAsyncZod =>
  async (app) => {
    const notifications = services.notifications;
    const base = '/api/accounts/:accountId/notifications';
    const who = (request: FastifyRequest) => [accountOf(request), principalOf(request).userId] as const;

    app.get(
      base,
      {
        config: view,
        schema: {
          tags,
          summary: 'List my notifications in the account (filters: unread, type, severity, date range)',
          params: accountParamsSchema,
          querystring: notificationListQuerySchema,
          response: { 200: notificationPageSchema },
        },
      },
      async (request) => notifications.list(...who(request), request.query),
    );

    app.get(
      `${base}/unread-count`,
      {
        config: view,
        schema: {
          tags,
          summary: 'Number of my unread notifications in the account',
          params: accountParamsSchema,
          response: { 200: unreadCountSchema },
        },
      },
      async (request) => ({ unread: await notifications.unread(...who(request)) }),
    );

    app.get(
      `${base}/:notificationId`,
      {
        config: view,
        schema: {
          tags,
          summary: 'One notification',
          params: notificationParams,
          response: { 200: notificationSchema },
        },
      },
      async (request) => notifications.get(...who(request), Number(request.params.notificationId)),
    );

    app.post(
      `${base}/mark`,
      {
        config: view,
        schema: {
          tags,
          summary: 'Mark selected (or all) notifications read or unread, for me',
          params: accountParamsSchema,
          body: markNotificationsBodySchema,
          response: { 200: changedCountSchema },
        },
      },
      async (request) => notifications.mark(...who(request), request.body.selection, request.body.read),
    );

    app.post(
      `${base}/delete`,
      {
        config: view,
        schema: {
          tags,
          summary: 'Delete selected (or all) notifications, for me; other recipients keep theirs',
          params: accountParamsSchema,
          body: deleteNotificationsBodySchema,
          response: { 200: changedCountSchema },
        },
      },
      async (request) => notifications.remove(...who(request), request.body.selection),
    );

    app.get(
      '/api/me/notifications/unread-counts',
      {
        schema: {
          tags,
          summary: 'My unread counts: total (avatar badge) and per account (account switcher)',
          response: { 200: unreadCountsSchema },
        },
      },
      async (request) => notifications.unreadCounts(principalOf(request).userId),
    );

    app.get(
      '/api/me/notification-settings',
      {
        schema: {
          tags,
          summary: 'My email settings for system messages',
          response: { 200: emailPreferencesSchema },
        },
      },
      async (request) => notifications.emailPreferences(principalOf(request).userId),
    );

    app.patch(
      '/api/me/notification-settings',
      {
        schema: {
          tags,
          summary: 'Change my email settings: the master switch and a choice per type (all, errors, none)',
          body: updateEmailPreferencesBodySchema,
          response: { 200: emailPreferencesSchema },
        },
      },
      async (request) => notifications.updateEmailPreferences(principalOf(request).userId, request.body),
    );

    app.get(
      '/api/me/outbox',
      {
        schema: {
          tags,
          summary: 'My system-message emails: what was sent, or kept here when no SMTP server is set up',
          response: { 200: outboxPageSchema },
        },
      },
      async (request) => ({ items: await services.notificationMailer.outbox(principalOf(request).userId) }),
    );
  };
