import type { AccountAccess } from '../modules/accounts/access.service.ts';
import type { Language } from '../../shared/auth.ts';

/**
 * The payload of every job, by name: `JobSender.send` and the catalog's handlers are checked
 * against it at compile time, and the catalog's zod schemas check it again at run time.
 */
export interface JobPayloads {
  'auth.purge-expired': Record<string, never>;
  'db.maintain': Record<string, never>;
  'bulk.run': { actionId: number };
  'bulk.sweep': Record<string, never>;
  'bulk.purge': Record<string, never>;
  'deliveries.dispatch': Record<string, never>;
  'notifications.purge': Record<string, never>;
  /** One run of an import source; `runId`/`userId` set by "Run now", null for a scheduled run. */
  'imports.pull': { accountId: number; sourceId: number; runId: number | null; userId: number | null };
  'imports.schedule': Record<string, never>;
  /** Standard mailings: pre-flight counts and the start of due mailings (every 15 s). */
  'mailings.schedule': Record<string, never>;
  'imports.purge': Record<string, never>;
  /** Runs a distribution's pending targets, one transaction per target. */
  'distribution.run': { distributionId: number };
  /** Restarts distributions whose worker died (lease expired). */
  'distribution.sweep': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** Sends background jobs (the job queue; an interface so services do not depend on pg-boss). */
export interface JobSender {
  send<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options?: { startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
}

/** Who is acting: their access in the account, their user id and language. */
export interface Actor {
  access: AccountAccess;
  userId: number;
  language: Language;
}
