import { z } from 'zod';
import type { Database } from '../db/types.ts';
import type { AppServices } from '../services.ts';

/** What a job handler gets: the same services the routes use, and the database for housekeeping. */
export interface JobContext {
  services: AppServices;
  database: Database;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  /** Retry policy and time limit, applied when the queue is created. */
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  expireInSeconds: number;
  /** Cron expression (UTC) for recurring jobs. */
  schedule?: string;
  handle(ctx: JobContext, data: z.infer<S>): Promise<void>;
}

const defineJob = <S extends z.ZodType>(job: JobDefinition<S>): JobDefinition => job;

/** The one list of background jobs: name → payload schema, retry policy, handler (a one-line service call). */
export const jobCatalog: readonly JobDefinition[] = [
  defineJob({
    name: 'auth.purge-expired',
    payload: z.object({}).strict(),
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    expireInSeconds: 300,
    schedule: '17 * * * *',
    handle: async ({ services }) => {
      await services.auth.purgeExpired();
    },
  }),
  defineJob({
    name: 'db.maintain',
    payload: z.object({}).strict(),
    retry: { limit: 1, delaySeconds: 60, backoff: false },
    expireInSeconds: 900,
    // PGlite has no checkpointer or autovacuum; on PostgreSQL this is a no-op.
    schedule: '*/15 * * * *',
    handle: ({ database }) => database.maintain(),
  }),
];

export type JobName = (typeof jobCatalog)[number]['name'];
