import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountParamsSchema } from '../../../shared/accounts.ts';
import { accountOf } from '../../plugins/account-scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import type { AppServices } from '../../services.ts';
import type { BulkEventHub } from '../../engine/events.ts';
import { openEventStream } from '../../plugins/event-stream.ts';

const COALESCE_MS = 200;

/**
 * Server-sent events for the Bulk Actions page: `snapshot` (the unfinished actions) on every
 * (re)connect, then `action` with the current row whenever one changes, from any process.
 * EventSource reconnects by itself; the snapshot makes a reconnect lose nothing.
 */
export const bulkEventRoutes =
  (services: AppServices, hub: BulkEventHub): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/accounts/:accountId/bulk-actions/events',
      {
        config: { right: 'contacts.view' },
        schema: {
          tags: ['bulk actions'],
          summary: 'Live updates (text/event-stream): snapshot, then every change of an action',
          params: accountParamsSchema,
          produces: ['text/event-stream'],
          response: { 200: z.string().describe('event stream') },
        },
      },
      async (request, reply) => {
        const access = accountOf(request);
        const userId = principalOf(request).userId;
        const language = (await services.users.getUser(userId)).language ?? 'en';
        const actor = { access, userId, language };
        const stream = openEventStream(request, reply);
        const pending = new Set<number>();
        let timer: NodeJS.Timeout | undefined;
        const flush = async () => {
          timer = undefined;
          const ids = [...pending];
          pending.clear();
          for (const id of ids) {
            if (stream.closed) return;
            try {
              stream.send('action', await services.bulkActions.get(actor, id));
            } catch {
              // deleted or no longer visible: nothing to send
            }
          }
        };
        const unsubscribe = await hub.subscribe(access.accountId, (actionId) => {
          pending.add(actionId);
          timer ??= setTimeout(() => void flush(), COALESCE_MS);
        });
        stream.onClose(() => {
          if (timer) clearTimeout(timer);
          unsubscribe();
        });
        const active = await services.bulkActions.list(actor, {
          status: ['queued', 'in_progress', 'paused'],
          type: undefined,
          limit: 100,
        });
        stream.send('snapshot', active.items);
      },
    );
  };
