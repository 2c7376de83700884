import { PgBoss } from 'pg-boss';
import type { Database } from '../db/types.ts';
import { jobCatalog, type JobContext, type JobDefinition } from './catalog.ts';
import type { JobName, JobPayloads, JobSender } from './types.ts';

export interface QueueRole {
  /** Run handlers for the catalog's jobs (worker processes). */
  work: boolean;
  /** Run pg-boss maintenance and cron scheduling (worker processes). */
  supervise: boolean;
}

/**
 * pg-boss on Herald's own database. API processes only send jobs; worker processes also run the
 * handlers, maintenance and cron. All processes share the queue tables, which is what lets a job
 * sent by one API process run on any worker.
 */
export class JobQueue implements JobSender {
  private constructor(
    private readonly boss: PgBoss,
    private readonly catalog: readonly JobDefinition[],
  ) {}

  static async start(database: Database, role: QueueRole, catalog = jobCatalog): Promise<JobQueue> {
    const common = { schema: 'pgboss', supervise: role.supervise, schedule: role.supervise, migrate: true };
    const boss =
      database.boss.backend === 'pglite'
        ? new PgBoss({ ...common, db: database.boss.db, backend: 'pglite' })
        : new PgBoss({
            ...common,
            connectionString: database.boss.connectionString,
            max: 4,
            application_name: 'herald-jobs',
          });
    boss.on('error', (err: Error) => console.error(`[jobs] ${err.message}`));
    await boss.start();
    const queue = new JobQueue(boss, catalog);
    for (const job of catalog) {
      await boss.createQueue(job.name, {
        policy: job.policy ?? 'standard',
        retryLimit: job.retry.limit,
        retryDelay: job.retry.delaySeconds,
        retryBackoff: job.retry.backoff,
        expireInSeconds: job.expireInSeconds,
      });
    }
    return queue;
  }

  private readonly timers: NodeJS.Timeout[] = [];

  /** Registers every handler, the cron schedules and the interval ticks. */
  async startWorkers(ctx: Omit<JobContext, 'jobs'>): Promise<void> {
    const full: JobContext = { ...ctx, jobs: this };
    for (const job of this.catalog) {
      await this.boss.work<unknown>(
        job.name,
        { localConcurrency: job.concurrency ?? 1, pollingIntervalSeconds: 1 },
        async (jobs) => {
          for (const { data } of jobs) await job.handle(full, job.payload.parse(data ?? {}));
        },
      );
      if (job.schedule) await this.boss.schedule(job.name, job.schedule, {}, { tz: 'UTC' });
      if (job.everyMs) {
        const tick = () =>
          void this.sendUnchecked(job.name, {}, { singletonKey: job.name }).catch(() => undefined);
        this.timers.push(setInterval(tick, job.everyMs));
        tick();
      }
    }
  }

  /** Queues a job after checking its payload against the catalog's schema. */
  async send<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options: { startAfter?: Date; singletonKey?: string } = {},
  ): Promise<string | null> {
    return this.sendUnchecked(name, data, options);
  }

  /** `send` for a name known only at run time (interval ticks): the catalog's schema still checks the payload. */
  private async sendUnchecked(
    name: string,
    data: object,
    options: { startAfter?: Date; singletonKey?: string },
  ): Promise<string | null> {
    const job = this.catalog.find((j) => j.name === name);
    if (!job) throw new Error(`Unknown job '${name}'`);
    return this.boss.send(name, job.payload.parse(data) as object, options);
  }

  /** Lets running handlers finish (up to `timeoutMs`), then stops polling. */
  async stop(timeoutMs = 20_000): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}
