import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idString, isIdText } from '../../../shared/primitives.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';
import type { NotificationHub } from './notification-hub.ts';
import { openEventStream } from '../../plugins/event-stream.ts';

const COALESCE_MS = 150;
const PAGE = 200;

const eventsQuerySchema = z
  .object({
    /** Resume after this delivery number (what EventSource sends as Last-Event-ID on reconnect). */
    after: idString().optional(),
  })
  .strict();

/**
 * One stream per signed-in user, across all their accounts: `notification` events (id = delivery
 * number) and `counts` (unread per account, for the badge and the account switcher). Every event
 * id is a cursor: after a reconnect the stream sends everything delivered after the Last-Event-ID,
 * so nothing is lost even when the producer ran in a worker and this stream in another API process.
 */
export const notificationEventRoutes =
  (services: AppServices, hub: NotificationHub): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/me/notifications/events',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Live notifications and unread counts of the current user (text/event-stream)',
          querystring: eventsQuerySchema,
          produces: ['text/event-stream'],
          response: { 200: z.string().describe('event stream') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const userId = principal.userId;
        const notifications = services.notifications;
        const header = request.headers['last-event-id'];
        const resumeFrom = typeof header === 'string' && isIdText(header) ? header : request.query.after;
        const latest = await notifications.latestSeq();
        // A cursor from another database (restored backup, reset demo) must not skip what comes next.
        let cursor = resumeFrom !== undefined ? Math.min(Number(resumeFrom), latest) : latest;
        let accounts = await notifications.readableAccounts(userId);

        const stream = openEventStream(request, reply);
        // The first id is the starting cursor, so a reconnect before any notification resumes here.
        stream.send('ready', {}, cursor);

        let timer: NodeJS.Timeout | undefined;
        let running: Promise<void> | undefined;
        let again = false;
        const flush = async (): Promise<void> => {
          // The session may have ended (logout, password change) since the stream opened.
          if (!(await services.auth.stillValid(principal))) return stream.end();
          // Rights may have changed since the stream opened: read them again on each round.
          accounts = await notifications.readableAccounts(userId);
          for (;;) {
            const batch = await notifications.deliveredAfter(userId, accounts, cursor, PAGE);
            for (const { seq, ...notification } of batch) {
              if (stream.closed) return;
              stream.send('notification', notification, seq);
              cursor = seq;
            }
            if (batch.length < PAGE) break;
          }
          stream.send('counts', await notifications.unreadCounts(userId));
        };
        const schedule = () => {
          if (stream.closed) return;
          if (running) {
            again = true;
            return;
          }
          timer ??= setTimeout(() => {
            timer = undefined;
            running = flush()
              .catch((err: unknown) => request.log.warn({ err }, 'notification stream round failed'))
              .finally(() => {
                running = undefined;
                if (again) {
                  again = false;
                  schedule();
                }
              });
          }, COALESCE_MS);
        };

        const unsubscribe = await hub.subscribe((message) => {
          if (
            'reconnected' in message ||
            ('userId' in message ? message.userId === userId : accounts.includes(message.accountId))
          )
            schedule();
        });
        stream.onClose(() => {
          if (timer) clearTimeout(timer);
          unsubscribe();
        });
        // Catch up (on a resume) and send the current counts straight away.
        schedule();
      },
    );
  };
