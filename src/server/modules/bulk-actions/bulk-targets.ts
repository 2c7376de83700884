// Bulk actions whose target (the tag they add or remove) is deleted: found and locked when the tag
// is deleted, and failed once with a stable reason, there or when a chunk meets the missing tag.
import { sql } from 'drizzle-orm';
import { rows, type Queryable, type Tx } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { BulkFailureReason } from '../../../shared/references.ts';
import * as repo from './bulk-actions.repo.ts';
import { notifyBulkChange } from './bulk-runner.ts';
import { loggableError } from '../../db/log-safe.ts';

/** Thrown by a chunk whose target no longer exists: a permanent failure, never retried. */
export class TargetDeletedError extends Error {
  readonly reason: BulkFailureReason = 'target_deleted';
  constructor(readonly target: { kind: 'tag' | 'list'; id: string }) {
    super(`The ${target.kind} ${target.id} this action works on was deleted`);
  }
}

export interface TargetingAction {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'paused';
  processed: number;
  total: number;
}

/**
 * Unfinished actions (queued, scheduled, paused or running) that add or remove `tagId`, locked
 * when `lock`: a running chunk holds its action's row, so the lock waits for it and then sees the
 * current status, and a queued action cannot start while the caller's transaction decides.
 */
export async function actionsTargetingTag(
  q: Queryable,
  accountId: AccountId,
  tagId: number,
  lock: boolean,
): Promise<TargetingAction[]> {
  const found = await rows<TargetingAction>(
    q,
    sql`SELECT id, name, status, processed, total FROM bulk_actions
        WHERE account_id = ${accountId} AND type IN ('add_tag', 'remove_tag') AND params ->> 'tagId' = ${String(tagId)}
          AND status IN ('queued', 'in_progress', 'paused')
        ORDER BY id${lock ? sql` FOR UPDATE` : sql``}`,
  );
  return found.map((r) => ({
    ...r,
    id: Number(r.id),
    processed: Number(r.processed),
    total: Number(r.total),
  }));
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
