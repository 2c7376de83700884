// Permanent failures of bulk actions: failed once with a stable reason (no retries), when a chunk
// meets a target that vanished, or when a feature deletes what unfinished actions work on.
import type { Tx } from '../db/types.ts';
import type { AccountId } from '../db/tenant.ts';
import type { Notifier } from '../modules/notifications/notifier.ts';
import type { BulkFailureReason } from '../../shared/references.ts';
import * as repo from './actions.repo.ts';
import { notifyBulkChange } from './events.ts';
import { loggableError } from '../db/log-safe.ts';

/** What an action works on and vanished (the tag it adds, …), for the failure's audit and notification. */
export interface FailedTarget {
  kind: 'tag' | 'list';
  id: string;
  name?: string | undefined;
}

/**
 * Thrown by a chunk handler when the action cannot go on at all (its target no longer exists): the
 * runner fails the action at once with `reason`, no retries, no database message.
 */
export class PermanentFailure extends Error {
  constructor(
    readonly reason: BulkFailureReason,
    readonly target?: FailedTarget,
  ) {
    super(target ? `The ${target.kind} ${target.id} this action works on was deleted` : reason);
  }
}

/**
 * Fails one action for good with a stable reason: status, audit entry, live update and the
 * `bulk_action.failed` notification (in a savepoint, so a notification that cannot be written never
 * undoes the failure). The stored `error` is the reason code; the UI and notifications translate it.
 */
export async function failWithReason(
  tx: Tx,
  notifier: Notifier,
  accountId: AccountId,
  action: { id: number; name: string; processed: number; total: number },
  reason: BulkFailureReason,
  now: Date,
  target?: { kind: 'tag' | 'list'; name: string },
  /** False when the action's type told the users itself (its `onFailed` answered 'notified'). */
  notify = true,
): Promise<void> {
  await repo.setStatus(tx, action.id, 'failed', now, { finished: true, error: reason });
  await repo.insertAudit(tx, {
    actionId: action.id,
    accountId,
    userId: null,
    event: 'failed',
    details: { reason, error: reason, ...(target ? { target } : {}) },
    at: now,
  });
  await notifyBulkChange(tx, accountId, action.id);
  if (!notify) return;
  try {
    await tx.transaction((sp) =>
      notifier.notify(sp, accountId, {
        type: 'bulk_action.failed',
        params: {
          action: { id: String(action.id), name: action.name.slice(0, 300) },
          processed: action.processed,
          total: action.total,
          error: reason,
          reason,
          ...(target ? { target: { kind: target.kind, name: target.name.slice(0, 300) } } : {}),
        },
        subject: { kind: 'bulk_action', id: String(action.id) },
      }),
    );
  } catch (err) {
    console.error(
      `[bulk] notification bulk_action.failed for account ${accountId} not written:`,
      loggableError(err),
    );
  }
}
