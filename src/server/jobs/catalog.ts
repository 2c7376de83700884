import { z } from 'zod';
import type { Database } from '../db/types.ts';
import type { AppServices } from '../services.ts';
import type { JobName, JobPayloads, JobSender } from './types.ts';

/** What a job handler gets: the same services the routes use, and the database for housekeeping. */
export interface JobContext {
  services: AppServices;
  database: Database;
  jobs: JobSender;
}

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  payload: z.ZodType<JobPayloads[N]>;
  /** Retry policy and time limit, applied when the queue is created. */
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  expireInSeconds: number;
  /** Cron expression (UTC) for recurring jobs. */
  schedule?: string;
  /** Sent every N ms by each worker process (for checks that must run more often than cron's minute). */
  everyMs?: number;
  /** Jobs of this name one worker process runs at once. */
  concurrency?: number;
  /** 'short': at most one waiting job per singletonKey (duplicates of a queued run are dropped). */
  policy?: 'standard' | 'short';
  handle(ctx: JobContext, data: JobPayloads[N]): Promise<void>;
}

/** A catalog entry, checked against `JobPayloads` (types.ts) for its name. */
const defineJob = <N extends JobName>(job: JobDefinition<N>): JobDefinition => job;

/** The one list of background jobs: name → payload schema, retry policy, handler (a one-line service call). */
export const jobCatalog: JobDefinition[] = [
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

// Bulk actions: the runner, the sweep that restarts runs whose worker died (lease expired) and
// starts scheduled ones when due, and the daily purge of delete jobs past their restore window.
jobCatalog.push(
  defineJob({
    name: 'bulk.run',
    payload: z.object({ actionId: z.number().int().positive() }).strict(),
    retry: { limit: 2, delaySeconds: 5, backoff: true },
    expireInSeconds: 6 * 3600,
    concurrency: 2,
    policy: 'short',
    handle: ({ services }, data) => services.bulkRunner.run(data.actionId),
  }),
  defineJob({
    name: 'bulk.sweep',
    payload: z.object({}).strict(),
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: 60,
    everyMs: 10_000,
    policy: 'short',
    handle: async ({ services, jobs }) => {
      for (const actionId of await services.bulkRunner.findRunnable()) {
        await jobs.send('bulk.run', { actionId }, { singletonKey: `bulk-${actionId}` });
      }
    },
  }),
  defineJob({
    name: 'bulk.purge',
    payload: z.object({}).strict(),
    retry: { limit: 3, delaySeconds: 300, backoff: true },
    expireInSeconds: 3600,
    schedule: '23 3 * * *',
    handle: async ({ services }) => {
      await services.bulkPurge();
    },
  }),
);

// The delivery outbox (notification emails and every other outside call): each worker sends what
// is due, with the retries and backoff kept in the rows; and the daily notification retention purge.
jobCatalog.push(
  defineJob({
    name: 'deliveries.dispatch',
    payload: z.object({}).strict(),
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    // A round stops claiming after 50 s and then waits for its sends (each bounded by its kind).
    expireInSeconds: 300,
    // New rows wait at most this long (a round sends until nothing is due, so load needs no faster tick).
    everyMs: 2_000,
    policy: 'short',
    handle: async ({ services }) => {
      await services.deliveries.run();
    },
  }),
  defineJob({
    name: 'notifications.purge',
    payload: z.object({}).strict(),
    retry: { limit: 3, delaySeconds: 300, backoff: true },
    expireInSeconds: 3600,
    schedule: '41 3 * * *',
    handle: async ({ services }) => {
      await services.notificationPurge();
    },
  }),
);

// Imports: the schedule of remote sources (due ones are queued), one run of a source, and the
// daily purge of files and staged rows imports no longer need.
// Standard mailings: the pre-flight count shortly before a slot and the start of due mailings.
jobCatalog.push(
  defineJob({
    name: 'mailings.schedule',
    payload: z.object({}).strict(),
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: 60,
    everyMs: 15_000,
    policy: 'short',
    handle: async ({ services }) => {
      await services.mailings.sends.tick();
    },
  }),
);

jobCatalog.push(
  defineJob({
    name: 'imports.schedule',
    payload: z.object({}).strict(),
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: 60,
    everyMs: 30_000,
    policy: 'short',
    handle: async ({ services }) => {
      await services.importSourceRunner.queueDue();
    },
  }),
  defineJob({
    name: 'imports.pull',
    payload: z
      .object({
        accountId: z.number().int().positive(),
        sourceId: z.number().int().positive(),
        runId: z.number().int().positive().nullable(),
        userId: z.number().int().positive().nullable(),
      })
      .strict(),
    // A run records its own failure (and notifies); a retry would notify twice.
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: 3600,
    concurrency: 2,
    handle: ({ services }, data) => services.importSourceRunner.pull(data),
  }),
  defineJob({
    name: 'imports.purge',
    payload: z.object({}).strict(),
    retry: { limit: 3, delaySeconds: 300, backoff: true },
    expireInSeconds: 3600,
    schedule: '53 3 * * *',
    handle: async ({ services }) => {
      await services.imports.purge();
    },
  }),
);

// Distribution into sub-accounts: the run of one distribution (one transaction per target) and the
// sweep that re-queues running distributions whose worker died (lease expired) or never started.
jobCatalog.push(
  defineJob({
    name: 'distribution.run',
    payload: z.object({ distributionId: z.number().int().positive() }).strict(),
    // A run records its own failures per target; a crashed run is picked up by the sweep.
    retry: { limit: 2, delaySeconds: 5, backoff: true },
    expireInSeconds: 6 * 3600,
    concurrency: 2,
    policy: 'short',
    handle: ({ services }, data) => services.distributionRunner.run(data.distributionId),
  }),
  defineJob({
    name: 'distribution.sweep',
    payload: z.object({}).strict(),
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: 60,
    everyMs: 10_000,
    policy: 'short',
    handle: async ({ services, jobs }) => {
      for (const distributionId of await services.distributionRunner.findRunnable()) {
        await jobs.send(
          'distribution.run',
          { distributionId },
          { singletonKey: `distribution-${distributionId}` },
        );
      }
    },
  }),
);
