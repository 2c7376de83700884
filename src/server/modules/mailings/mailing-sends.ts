// The send of a standard mailing: its start (now, or by the scheduler at the slot) as a bulk_email
// action whose items are the audience frozen at that moment, the end and failure hooks that settle
// the mailing (sent / failed / cancelled) and tell the users exactly once, and the scheduler's tick
// (pre-flight count shortly before the slot, then the start of due mailings).
import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { rows, type Db, type Queryable } from '../../db/types.ts';
import { asAccountId, withTenant, type AccountId } from '../../db/tenant.ts';
import { loggableError } from '../../db/log-safe.ts';
import { AppError } from '../../errors.ts';
import type { BulkActionsService } from '../../engine/actions.service.ts';
import { findAction, type BulkActionRow } from '../../engine/actions.repo.ts';
import { PermanentFailure } from '../../engine/failures.ts';
import type { ItemSource } from '../../engine/registry.ts';
import type { Actor } from '../../jobs/types.ts';
import type { Language } from '../../../shared/auth.ts';
import type { MailingFailureReason } from '../../../shared/mailings.ts';
import type { AccessService } from '../accounts/access.service.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import type { MessagingService } from '../messaging/messaging.service.ts';
import type { MessagingSendHooks } from '../messaging/messaging-bulk-types.ts';
import type { BulkMessagingParams } from '../messaging/messaging-content.ts';
import { compileAudience, countAudience, recipientsPredicate, type AudienceProblem } from './audience.ts';
import * as repo from './mailings.repo.ts';

/** 409 MAILING_BUSY: the mailing (or another of its family) is being sent, or its state forbids this. */
export function busy(message: string, status: string): AppError {
  return new AppError('MAILING_BUSY', message, { status });
}

/** Why a send cannot start: a stable reason and words for the mailing's `failure_detail`. */
interface StartProblem {
  reason: MailingFailureReason;
  detail: string;
}

/** The source a mailing's bulk_email action is started from (`bulk_actions` source JSON). */
interface MailingSource {
  mailing: { id: string };
}
const isMailingSource = (source: unknown): source is MailingSource =>
  typeof source === 'object' &&
  source !== null &&
  typeof (source as { mailing?: { id?: unknown } }).mailing?.id === 'string';

/** Starts, settles and schedules mailing sends (the engine runs them). */
export class MailingSends {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly selections: SelectionService,
    private readonly engine: BulkActionsService,
    private readonly messaging: MessagingService,
    private readonly access: AccessService,
    private readonly notifier: Notifier,
    /** How long before the slot the pre-flight count is taken (ms). */
    private readonly preflightMs: number,
  ) {}

  /**
   * Starts the send of a mailing: as `actor` (send now) or, from the scheduler, as the user who
   * scheduled it with their rights now. Parts that are gone (template, sender, list, target group),
   * an inactive template or a user without `messaging.send` fail the mailing with that reason and the notification
   * instead of starting. Answers 'started' or 'failed'; 409 MAILING_BUSY when it or another of its
   * family is being sent (the family's root row is locked in the transaction that creates the action).
   */
  async start(
    accountId: AccountId,
    mailingId: number,
    as: Actor | 'scheduler',
  ): Promise<'started' | 'failed'> {
    const m = await withTenant(this.db, accountId, (tx) => repo.findMailing(tx, accountId, mailingId));
    if (!m) throw new AppError('NOT_FOUND', 'Mailing not found');
    // What the mailing must still be when the action is created (or the failure written): as read
    // now, in the state this path starts from, not held, and for the scheduler due.
    const guard: repo.StartGuard = {
      status: as === 'scheduler' ? 'scheduled' : 'draft',
      updatedAt: m.updatedAt,
      dueBy: as === 'scheduler' ? this.clock.now() : null,
    };
    if (!repo.startable(m, guard)) throw busy('This mailing is already being sent or has ended', m.status);
    const actor = as === 'scheduler' ? await this.schedulerActor(accountId, m) : as;
    if (!actor) {
      await this.fail(
        accountId,
        m.id,
        {
          reason: 'not_permitted',
          detail: 'The user who scheduled this mailing may no longer send messages',
        },
        guard,
      );
      return 'failed';
    }
    const prepared = await withTenant(this.db, accountId, async (tx) => {
      const problem = await this.problemOf(tx, m);
      if (problem) return { problem };
      let params: BulkMessagingParams;
      try {
        params = await this.messaging.paramsOf(tx, actor, {
          channel: 'email',
          ...(m.templateId !== null
            ? { templateId: String(m.templateId) }
            : {
                content: {
                  subject: m.subject ?? '',
                  html: m.html ?? '',
                  ...(m.text ? { text: m.text } : {}),
                },
              }),
          ...(m.senderProfileId !== null ? { senderProfileId: String(m.senderProfileId) } : {}),
          quietHours: false,
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return { problem: { reason: 'send_error' as const, detail: err.message } };
      }
      const count = await countAudience(tx, this.selections, accountId, this.specOf(m));
      return { params, expected: count.recipients };
    });
    if ('problem' in prepared) {
      await this.fail(accountId, m.id, prepared.problem!, guard);
      return 'failed';
    }
    const params: BulkMessagingParams = {
      ...prepared.params,
      tracking: m.tracking,
      mailing: { id: String(m.id), rootId: String(m.rootId), includeFailed: m.includeFailed },
    };
    await this.engine.start(actor, {
      type: 'bulk_email',
      params,
      source: { mailing: { id: String(m.id) } } satisfies MailingSource,
      expected: prepared.expected,
      customName: m.name,
      details: { mailingId: String(m.id) },
      onCreate: async (tx, actionId) => {
        // The family's lock first, then this mailing: two sends of one family queue here, and the
        // second sees the first's action. An advisory lock (released with the transaction), so it
        // holds even when the root row is gone.
        await tx.execute(
          sql`SELECT pg_advisory_xact_lock(hashtextextended(${`mailing-family:${accountId}:${m.rootId}`}, 0))`,
        );
        // Under the row lock: still the mailing whose content and audience were read, still
        // startable; else the action's creation rolls back (the scheduler tries at the next tick).
        const now = await repo.findMailing(tx, accountId, m.id, true);
        if (!now || !repo.startable(now, guard))
          throw busy('This mailing changed or is already being sent', now?.status ?? 'unknown');
        const running = await repo.runningInFamily(tx, accountId, m.rootId, m.id);
        if (running !== null)
          throw new AppError('MAILING_BUSY', 'Another mailing of this family is being sent', {
            status: 'sending',
            mailingId: String(running),
          });
        const at = this.clock.now();
        await tx.execute(
          sql`UPDATE mailings SET action_id = ${actionId}, status = 'scheduled', started_at = ${at},
                scheduled_by = coalesce(scheduled_by, ${actor.userId}), updated_at = ${at}
              WHERE account_id = ${accountId} AND id = ${m.id}`,
        );
      },
    });
    return 'started';
  }

  /** The hooks of bulk_email actions started for a mailing (wired in services.ts). */
  hooks(): MessagingSendHooks {
    return {
      items: async (q, action, source) =>
        isMailingSource(source) ? this.items(q, action, source) : undefined,
      onEnded: async (q, action, now, ending) => this.ended(q, action, now, ending),
      onFailed: async (q, action, reason) => this.failed(q, action, reason),
    };
  }

  /**
   * The scheduler's tick: pre-flight counts of mailings whose slot is within the window (a warning
   * when 0, once per schedule), then the start of the due ones, each on its own so one that fails
   * stops none of the others. Answers how many were started or failed.
   */
  async tick(): Promise<number> {
    const now = this.clock.now();
    for (const due of await repo.dueMailings(this.db, new Date(now.getTime() + this.preflightMs), true)) {
      try {
        await this.preflight(asAccountId(due.accountId), due.id);
      } catch (err) {
        console.error(`[mailings] pre-flight of mailing ${due.id} failed:`, loggableError(err));
      }
    }
    let started = 0;
    for (const due of await repo.dueMailings(this.db, now, false)) {
      try {
        await this.start(asAccountId(due.accountId), due.id, 'scheduler');
        started++;
      } catch (err) {
        // Busy (another of the family runs) or held meanwhile: tried again at the next tick.
        if (!(err instanceof AppError && err.code === 'MAILING_BUSY'))
          console.error(`[mailings] start of mailing ${due.id} failed:`, loggableError(err));
      }
    }
    return started;
  }

  /**
   * Fails a mailing whose send cannot start and tells the users (in the same transaction), only
   * while it is still as `guard` expects (else 409 MAILING_BUSY: a cancelled, held, edited,
   * rescheduled or started mailing is never turned into `failed`).
   */
  async fail(
    accountId: AccountId,
    mailingId: number,
    problem: StartProblem,
    guard: repo.StartGuard,
  ): Promise<void> {
    const moved = await withTenant(this.db, accountId, (tx) =>
      this.failAndTell(tx, accountId, mailingId, { ...problem, recipients: 0 }, guard),
    );
    if (!moved) throw busy('This mailing changed meanwhile', 'unknown');
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Lists, target groups and the family of a mailing, as the audience reads them. */
  specOf(m: repo.MailingRow) {
    return {
      listIds: m.listIds,
      targetGroupIds: m.targetGroupIds,
      family: { rootId: m.rootId, includeFailed: m.includeFailed },
    };
  }

  /** The user who scheduled it, with their rights now; null without `messaging.send`. */
  private async schedulerActor(accountId: AccountId, m: repo.MailingRow): Promise<Actor | null> {
    const userId = m.scheduledBy ?? m.createdBy;
    if (userId === null) return null;
    const granted = await this.access.accessTo(userId, accountId);
    if (!granted?.rights.has('messaging.send')) return null;
    const [user] = await rows<{ language: Language | null }>(
      this.db,
      sql`SELECT language FROM users WHERE id = ${userId}`,
    );
    return { access: granted, userId, language: user?.language ?? 'en' };
  }

  /** The first part of the mailing that is gone or invalid, or null. */
  private async problemOf(q: Queryable, m: repo.MailingRow): Promise<StartProblem | null> {
    if (m.templateId !== null) {
      const [found] = await rows<{ active: boolean }>(
        q,
        sql`SELECT active FROM message_templates WHERE account_id = ${m.accountId} AND id = ${m.templateId}`,
      );
      if (!found) return { reason: 'template_deleted', detail: `Template ${m.templateId} was deleted` };
      if (!found.active)
        return { reason: 'template_inactive', detail: `Template ${m.templateId} was deactivated` };
    }
    if (m.senderProfileId !== null) {
      const found = await rows(
        q,
        sql`SELECT 1 FROM sender_profiles WHERE account_id = ${m.accountId} AND id = ${m.senderProfileId}`,
      );
      if (!found.length)
        return { reason: 'sender_deleted', detail: `Sender profile ${m.senderProfileId} was deleted` };
    }
    const audience = await compileAudience(q, this.selections, asAccountId(m.accountId), this.specOf(m));
    const first = audience.problems[0];
    return first ? { reason: first.reason, detail: problemWords(first) } : null;
  }

  /** The frozen items: the audience now, without whom the family already reached. */
  private async items(q: Queryable, action: BulkActionRow, source: MailingSource): Promise<ItemSource> {
    const accountId = asAccountId(action.accountId);
    const m = await repo.findMailing(q, accountId, Number(source.mailing.id));
    if (!m) throw new PermanentFailure('target_deleted');
    const audience = await compileAudience(q, this.selections, accountId, this.specOf(m));
    const problem = audience.problems[0];
    if (problem) throw new PermanentFailure('target_deleted', { kind: 'list', id: problem.id });
    const where = recipientsPredicate(audience);
    return (after, limit) =>
      sql`SELECT c.id, c.id AS key FROM contacts c WHERE ${where} AND c.id > ${after} ORDER BY c.id LIMIT ${limit}`;
  }

  /** The action ended: sent when it reached anyone, else failed (told once); or cancelled. */
  private async ended(
    q: Queryable,
    action: BulkActionRow,
    now: Date,
    ending: 'completed' | 'cancelled',
  ): Promise<void | 'notified'> {
    const accountId = asAccountId(action.accountId);
    const m = await repo.findByAction(q, accountId, action.id);
    if (!m) return undefined;
    if (ending === 'cancelled') {
      await q.execute(
        sql`UPDATE mailings SET status = 'cancelled', finished_at = ${now}, updated_at = ${now},
              recipients_at_send = ${await this.recipientsOf(q, action)}
            WHERE account_id = ${accountId} AND id = ${m.id} AND status = 'scheduled'`,
      );
      return undefined;
    }
    const [ledger] = await rows<{ reached: number; failed: number }>(
      q,
      sql`SELECT count(*) FILTER (WHERE status IN ('sent', 'delivered'))::int AS reached,
            count(*) FILTER (WHERE status IN ('failed', 'bounced'))::int AS failed
          FROM messages WHERE action_id = ${action.id}`,
    );
    if (Number(ledger?.reached ?? 0) > 0) {
      await q.execute(
        sql`UPDATE mailings SET status = 'sent', finished_at = ${now}, updated_at = ${now},
              recipients_at_send = ${await this.recipientsOf(q, action)}
            WHERE account_id = ${accountId} AND id = ${m.id} AND status = 'scheduled'`,
      );
      return undefined;
    }
    const allFailed = Number(ledger?.failed ?? 0) > 0;
    await this.failAndTell(q, accountId, m.id, {
      reason: allFailed ? 'all_failed' : 'no_recipients',
      detail: allFailed
        ? 'Every message was refused or bounced'
        : 'The audience had no recipient at the moment of sending',
      recipients: await this.recipientsOf(q, action),
    });
    return 'notified';
  }

  /** The action failed for good: the mailing fails with the cause it can name, told once. */
  private async failed(q: Queryable, action: BulkActionRow, reason: string): Promise<void | 'notified'> {
    const accountId = asAccountId(action.accountId);
    const m = await repo.findByAction(q, accountId, action.id);
    if (!m) return undefined;
    // It stopped after reaching some: the mailing went out (to fewer than meant), so it is sent,
    // saying why it stopped; the engine raises its own bulk_action.failed.
    const [ledger] = await rows<{ reached: number }>(
      q,
      sql`SELECT count(*)::int AS reached FROM messages
          WHERE action_id = ${action.id} AND status IN ('sent', 'delivered')`,
    );
    if (Number(ledger?.reached ?? 0) > 0) {
      const now = this.clock.now();
      await q.execute(
        sql`UPDATE mailings SET status = 'sent', finished_at = ${now}, updated_at = ${now},
              failure_detail = ${`The send stopped early: ${reason}`},
              recipients_at_send = ${await this.recipientsOf(q, action)}
            WHERE account_id = ${accountId} AND id = ${m.id} AND status = 'scheduled'`,
      );
      return undefined;
    }
    // The freeze found a list or target group gone (items throw target_deleted): name which. The
    // content was a snapshot at the start, so a template deleted since is never the cause.
    const problem =
      reason === 'target_deleted'
        ? (await compileAudience(q, this.selections, accountId, this.specOf(m))).problems[0]
        : undefined;
    await this.failAndTell(q, accountId, m.id, {
      ...(problem
        ? { reason: problem.reason, detail: problemWords(problem) }
        : { reason: 'send_error' as const, detail: `The send stopped: ${reason}` }),
      recipients: await this.recipientsOf(q, action),
    });
    return 'notified';
  }

  /**
   * The one place a mailing becomes failed: the conditional update answers only for the call that
   * moved it, and only that call raises `mailing.send_failed`, in a savepoint so a notification
   * that cannot be written never undoes the failure.
   */
  private async failAndTell(
    q: Queryable,
    accountId: AccountId,
    mailingId: number,
    failure: StartProblem & { recipients: number | null },
    guard: repo.StartGuard | null = null,
  ): Promise<boolean> {
    const moved = await repo.markFailed(q, accountId, mailingId, failure, this.clock.now(), guard);
    if (!moved) return false;
    const parts = await this.partRefs(q, accountId, moved.listIds, moved.targetGroupIds);
    try {
      await q.transaction((sp) =>
        this.notifier.notify(sp, accountId, {
          type: 'mailing.send_failed',
          params: {
            mailing: { id: String(moved.id), name: moved.name },
            ...parts,
            recipientCount: moved.recipients ?? 0,
            reason: failure.reason,
          },
          subject: { kind: 'mailing', id: String(moved.id) },
        }),
      );
    } catch (err) {
      console.error(
        `[mailings] notification mailing.send_failed for ${mailingId} not written:`,
        loggableError(err),
      );
    }
    return true;
  }

  /**
   * The distinct addresses the send was for: the action's frozen total (read again: the hooks get
   * the row from before the freeze, so a freeze that found nobody would still say the estimate)
   * minus the ledger rows skipped as duplicate_address.
   */
  private async recipientsOf(q: Queryable, action: BulkActionRow): Promise<number> {
    const fresh = await findAction(q, asAccountId(action.accountId), action.id);
    const [dup] = await rows<{ n: number }>(
      q,
      sql`SELECT count(*)::int AS n FROM messages
          WHERE action_id = ${action.id} AND status = 'skipped' AND reason = 'duplicate_address'`,
    );
    return Math.max(0, Number(fresh?.total ?? action.total ?? 0) - Number(dup?.n ?? 0));
  }

  /** Pre-flight of one mailing: count now, store it, warn once when 0. */
  private async preflight(accountId: AccountId, mailingId: number): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      const m = await repo.findMailing(tx, accountId, mailingId, true);
      if (!m || m.stored !== 'scheduled' || m.actionId !== null || m.held || m.preflightAt !== null) return;
      // An inactive mailing does not send: no pre-flight until it is activated.
      if (!m.active) return;
      const count = await countAudience(tx, this.selections, accountId, this.specOf(m));
      const now = this.clock.now();
      await tx.execute(
        sql`UPDATE mailings SET preflight_at = ${now}, preflight_count = ${count.recipients}
            WHERE account_id = ${accountId} AND id = ${m.id}`,
      );
      if (count.recipients > 0 || !m.scheduledFor) return;
      const parts = await this.partRefs(tx, accountId, m.listIds, m.targetGroupIds);
      try {
        await tx.transaction((sp) =>
          this.notifier.notify(sp, accountId, {
            type: 'mailing.preflight_empty',
            params: {
              mailing: { id: String(m.id), name: m.name },
              ...parts,
              scheduledFor: m.scheduledFor!,
              recipientCount: count.recipients,
            },
            subject: { kind: 'mailing', id: String(m.id) },
          }),
        );
      } catch (err) {
        console.error(
          `[mailings] notification mailing.preflight_empty for ${m.id} not written:`,
          loggableError(err),
        );
      }
    });
  }

  /** Lists and target groups as notification refs (a deleted one by its id). */
  private async partRefs(q: Queryable, accountId: AccountId, listIds: number[], groupIds: number[]) {
    const names = await repo.partNames(q, accountId, listIds, groupIds);
    const ref = (names: Map<number, string>) => (id: number) => ({
      id: String(id),
      name: (names.get(id) ?? `#${id}`).slice(0, 300),
    });
    return {
      subscriberLists: listIds.slice(0, 100).map(ref(names.lists)),
      targetGroups: groupIds.slice(0, 100).map(ref(names.groups)),
    };
  }
}

function problemWords(p: AudienceProblem): string {
  const words: Partial<Record<MailingFailureReason, string>> = {
    list_deleted: `Subscriber list ${p.id} was deleted`,
    target_group_deleted: `Target group ${p.id} was deleted`,
    target_group_invalid: `The filter of target group ${p.id} is no longer valid`,
  };
  return words[p.reason] ?? p.reason;
}
