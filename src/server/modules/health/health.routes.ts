import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { healthSchema } from '../../../shared/accounts.ts';
import type { Db } from '../../db/types.ts';

export const healthRoutes =
  (db: Db): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/health',
      {
        config: { public: true },
        schema: {
          tags: ['health'],
          summary: 'Liveness and database status',
          response: { 200: healthSchema, 503: healthSchema },
        },
      },
      async (_request, reply) => {
        try {
          await db.execute(sql`SELECT 1`);
          return { status: 'ok' as const, db: 'up' as const };
        } catch {
          return reply.status(503).send({ status: 'degraded', db: 'down' });
        }
      },
    );
  };
