import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { rows, type Db, type Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { AccountAccess } from '../accounts/access.service.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { existingTagIds } from '../contacts/catalog.repo.ts';
import { tags } from '../../db/schema.ts';
import {
  CONTROLS_BY_TYPE,
  type BulkAction,
  type BulkActionPage,
  type BulkControl,
  type BulkParams,
  type BulkPreview,
  type BulkType,
  type CreateBulkActionBody,
  type ListBulkActionsQuery,
} from '../../../shared/bulk-actions.ts';
import type { Language } from '../../../shared/auth.ts';
import type { Selection } from '../../../shared/contacts.ts';
import * as repo from './bulk-actions.repo.ts';
import { actionName, retryName, undoName } from './bulk-names.ts';
import { notifyBulkChange } from './bulk-runner.ts';
import { z } from 'zod';
import { cursorId, cursorTimestamp, decodeCursor, encodeCursor } from '../../security/cursor.ts';

/** Sends background jobs (the job queue; an interface so services do not depend on pg-boss). */
export interface JobSender {
  send(
    name: string,
    data: object,
    options?: { startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
}

/** Who is acting: their access in the account, their user id and language. */
export interface Actor {
  access: AccountAccess;
  userId: number;
  language: Language;
}

/**
 * Creates bulk actions (resolving the selection into a frozen snapshot), and applies the row-menu
 * controls: pause, resume, cancel, edit schedule, restore, retry failed, undo. Running them is the
 * BulkRunner's job, queued through `bulk.run`.
 */
export class BulkActionsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly selections: SelectionService,
    private readonly jobs: JobSender,
    /** Snapshot rows written per statement: PGlite blocks the event loop while one runs (docs/adr/0003). */
    private readonly freezeBatch: number,
  ) {}

  /** The count and generated name, for the confirmation before anything is created. */
  async preview(actor: Actor, body: CreateBulkActionBody): Promise<BulkPreview> {
    this.assertMayStart(actor, body.type);
    const accountId = actor.access.accountId;
    const tagName = await this.tagNameFor(accountId, body);
    const { count } = await this.selections.preview(accountId, body.selection, 0);
    return { count, name: actionName(body.type, count, actor.language, { tagName }) };
  }

  async create(actor: Actor, body: CreateBulkActionBody): Promise<BulkAction> {
    this.assertMayStart(actor, body.type);
    const accountId = actor.access.accountId;
    const tagName = await this.tagNameFor(accountId, body);
    const params: BulkParams = body.tagId ? { tagId: body.tagId, tagName } : {};
    const scheduledFor = body.scheduledFor ? new Date(body.scheduledFor) : null;
    const id = await this.freezeNew(actor, {
      type: body.type,
      params,
      scheduledFor,
      sourceActionId: null,
      customName: body.name,
      nameFor: (n) => actionName(body.type, n, actor.language, { tagName }),
      source: await this.selectionSource(accountId, body.selection),
      details: { selection: body.selection },
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: number): Promise<BulkAction> {
    const row = await withTenant(this.db, actor.access.accountId, (tx) =>
      repo.findAction(tx, actor.access.accountId, id),
    );
    if (!row) throw new AppError('NOT_FOUND', 'Bulk action not found');
    return this.toApi(row, actor);
  }

  async list(actor: Actor, query: ListBulkActionsQuery): Promise<BulkActionPage> {
    const after = query.cursor ? cursorPosition(query.cursor) : null;
    const found = await withTenant(this.db, actor.access.accountId, (tx) =>
      repo.listActions(tx, actor.access.accountId, query, after),
    );
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => this.toApi(r, actor)),
      nextCursor: found.length > query.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
    };
  }

  async rename(actor: Actor, id: number, name: string): Promise<BulkAction> {
    await this.control(actor, id, null, async (tx, row) => {
      await repo.rename(tx, actor.access.accountId, row.id, name);
      return { event: 'renamed', details: { from: row.name, to: name } };
    });
    return this.get(actor, id);
  }

  /** Pause: the running chunk finishes, then the action waits. */
  async pause(actor: Actor, id: number): Promise<BulkAction> {
    await this.control(actor, id, 'pause', async (tx, row) => {
      await repo.setStatus(tx, row.id, 'paused', this.clock.now());
      return { event: 'paused' };
    });
    return this.get(actor, id);
  }

  async resume(actor: Actor, id: number): Promise<BulkAction> {
    await this.control(actor, id, 'resume', async (tx, row) => {
      await repo.setStatus(tx, row.id, row.startedAt ? 'in_progress' : 'queued', this.clock.now());
      return { event: 'resumed' };
    });
    await this.kick(id);
    return this.get(actor, id);
  }

  /** Cancel: once this returns, no further item is processed; processed ones stay as they are. */
  async cancel(actor: Actor, id: number): Promise<BulkAction> {
    await this.control(actor, id, 'cancel', async (tx, row) => {
      await repo.setStatus(tx, row.id, 'cancelled', this.clock.now(), { finished: true });
      // A cancelled delete job can still be restored for what it did delete.
      if (row.type === 'delete_contacts') {
        await tx.execute(
          sql`UPDATE bulk_actions SET restorable_until = ${this.clock.now().toISOString()}::timestamptz + interval '60 days' WHERE id = ${row.id}`,
        );
      }
      return { event: 'cancelled', details: { processed: row.processed, total: row.total } };
    });
    return this.get(actor, id);
  }

  async editSchedule(actor: Actor, id: number, scheduledFor: Date): Promise<BulkAction> {
    await this.control(actor, id, 'edit_schedule', async (tx, row) => {
      await repo.setStatus(tx, row.id, 'queued', this.clock.now(), { scheduledFor });
      return {
        event: 'schedule_changed',
        details: { from: row.scheduledFor, to: scheduledFor.toISOString() },
      };
    });
    await this.kick(id, scheduledFor);
    return this.get(actor, id);
  }

  /** How many contacts a restore would bring back, and until when restore is possible. */
  async restorePreview(actor: Actor, id: number): Promise<{ count: number; restorableUntil: string }> {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      this.assertRestorable(row, actor);
      return {
        count: await repo.countDeletedRecords(tx, accountId, id),
        restorableUntil: row.restorableUntil!,
      };
    });
  }

  /** Queues a restore_contacts action over exactly the contacts this delete job removed. */
  async restore(actor: Actor, id: number): Promise<BulkAction> {
    const accountId = actor.access.accountId;
    const source = await withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      this.assertRestorable(row, actor);
      if (await repo.findActiveChild(tx, accountId, id, 'restore_contacts')) {
        throw new AppError('CONFLICT', 'A restore of this action is already running');
      }
      return row;
    });
    const newId = await this.freezeNew(actor, {
      type: 'restore_contacts',
      params: { sourceActionId: String(id) },
      scheduledFor: null,
      sourceActionId: id,
      nameFor: (n) => actionName('restore_contacts', n, actor.language, { sourceName: source.name }),
      source: (after, limit) =>
        sql`SELECT d.contact_id AS id, d.contact_id AS key FROM bulk_deleted_contacts d
            WHERE d.account_id = ${accountId} AND d.action_id = ${id} AND d.contact_id > ${after} ORDER BY d.contact_id LIMIT ${limit}`,
      details: { restores: id },
    });
    await this.audit(accountId, id, actor.userId, 'restore_queued', { restoreActionId: newId });
    return this.get(actor, newId);
  }

  /** A new action of the same kind over the items that failed. */
  async retryFailed(actor: Actor, id: number): Promise<BulkAction> {
    const accountId = actor.access.accountId;
    const source = await withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      if (!this.allowedControls(row, actor).includes('retry_failed'))
        throw this.notAllowed('retry_failed', row);
      return row;
    });
    const newId = await this.freezeNew(actor, {
      type: source.type,
      params: source.params,
      scheduledFor: null,
      sourceActionId: id,
      nameFor: (n) =>
        retryName(
          actionName(source.type, n, actor.language, { tagName: source.params.tagName }),
          actor.language,
        ),
      source: (after, limit) =>
        sql`SELECT o.contact_id AS id, o.contact_id AS key FROM bulk_action_outcomes o
            WHERE o.account_id = ${accountId} AND o.action_id = ${id} AND o.outcome = 'failed' AND o.contact_id > ${after}
            ORDER BY o.contact_id LIMIT ${limit}`,
      details: { retries: id },
    });
    await this.audit(accountId, id, actor.userId, 'retry_queued', { retryActionId: newId });
    return this.get(actor, newId);
  }

  /** Reverses exactly what a tag action changed: the items it did not skip or fail. */
  async undo(actor: Actor, id: number): Promise<BulkAction> {
    const accountId = actor.access.accountId;
    const source = await withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      if (!this.allowedControls(row, actor).includes('undo')) throw this.notAllowed('undo', row);
      return row;
    });
    const reverse: BulkType = source.type === 'add_tag' ? 'remove_tag' : 'add_tag';
    const newId = await this.freezeNew(actor, {
      type: reverse,
      params: source.params,
      scheduledFor: null,
      sourceActionId: id,
      nameFor: (n) =>
        undoName(actionName(reverse, n, actor.language, { tagName: source.params.tagName }), actor.language),
      source: (after, limit) =>
        sql`SELECT i.contact_id AS id, i.seq AS key FROM bulk_action_items i
            WHERE i.action_id = ${id} AND i.seq <= ${source.cursor} AND i.seq > ${after}
              AND NOT EXISTS (SELECT 1 FROM bulk_action_outcomes o WHERE o.action_id = ${id} AND o.contact_id = i.contact_id)
            ORDER BY i.seq LIMIT ${limit}`,
      details: { undoes: id },
    });
    await this.audit(accountId, id, actor.userId, 'undo_queued', { undoActionId: newId });
    return this.get(actor, newId);
  }

  /** Which controls this caller may use on this action right now. */
  allowedControls(row: repo.BulkActionRow, actor: Actor): BulkControl[] {
    const offered = CONTROLS_BY_TYPE[row.type];
    const mayControl = row.createdBy === actor.userId || actor.access.rights.has('contacts.bulk');
    const s = row.status;
    const live = s === 'queued' || s === 'in_progress' || s === 'paused';
    const ended = s === 'completed' || s === 'cancelled' || s === 'failed';
    const checks: Record<BulkControl, boolean> = {
      pause: mayControl && row.frozen && (s === 'queued' || s === 'in_progress'),
      resume: mayControl && s === 'paused',
      cancel: mayControl && live,
      edit_schedule: mayControl && s === 'queued' && row.frozen,
      restore: this.restorable(row) && actor.access.rights.has('contacts.restore'),
      retry_failed: mayControl && ended && row.failed > 0,
      undo: mayControl && ended && row.succeeded > 0,
    };
    return offered.filter((c) => checks[c]);
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * Creates the action row and writes its snapshot in batches (each its own short transaction, so
   * PGlite keeps serving requests), then marks it frozen and queues the run. The snapshot is bounded
   * by the highest contact id at the start, so contacts created meanwhile are never included.
   */
  private async freezeNew(
    actor: Actor,
    spec: {
      type: BulkType;
      params: BulkParams;
      scheduledFor: Date | null;
      sourceActionId: number | null;
      customName?: string;
      nameFor: (count: number) => string;
      /** The next `limit` contacts after position `afterKey`, as (id, key) ordered by key. */
      source: (afterKey: number, limit: number) => SQL;
      details: Record<string, unknown>;
    },
  ): Promise<number> {
    const accountId = actor.access.accountId;
    const now = this.clock.now();
    const id = await withTenant(this.db, accountId, async (tx) => {
      const newId = await repo.insertAction(tx, {
        accountId,
        type: spec.type,
        name: spec.customName ?? spec.nameFor(0),
        params: spec.params,
        createdBy: actor.userId,
        now,
        scheduledFor: spec.scheduledFor,
        sourceActionId: spec.sourceActionId,
      });
      await repo.insertAudit(tx, {
        actionId: newId,
        accountId,
        userId: actor.userId,
        event: 'created',
        details: spec.details,
        at: now,
      });
      return newId;
    });
    const [{ maxId } = { maxId: 0 }] = await rows<{ maxId: number | null }>(
      this.db,
      sql`SELECT coalesce(max(id), 0) AS "maxId" FROM contacts`,
    );
    let total = 0;
    let after = 0;
    for (;;) {
      const batch = await withTenant(this.db, accountId, (tx) =>
        repo.freezeBatch(
          tx,
          id,
          accountId,
          sql`SELECT * FROM (${spec.source(after, this.freezeBatch)}) s WHERE s.id <= ${Number(maxId)}`,
          total,
        ),
      );
      total += batch.n;
      if (batch.n < this.freezeBatch || batch.last === null) break;
      after = batch.last;
      await new Promise((r) => setImmediate(r));
    }
    await withTenant(this.db, accountId, async (tx) => {
      await repo.markFrozen(tx, id, total, spec.customName ?? spec.nameFor(total), this.clock.now());
      await notifyBulkChange(tx, accountId, id);
    });
    if (total > 0) await this.kick(id, spec.scheduledFor ?? undefined);
    return id;
  }

  private async selectionSource(
    accountId: AccountId,
    selection: Selection,
  ): Promise<(after: number, limit: number) => SQL> {
    const where = await withTenant(this.db, accountId, (tx) =>
      this.selections.predicate(tx, accountId, selection),
    );
    return (after, limit) =>
      sql`SELECT c.id, c.id AS key FROM contacts c WHERE ${where} AND c.id > ${after} ORDER BY c.id LIMIT ${limit}`;
  }

  private async kick(id: number, startAfter?: Date): Promise<void> {
    await this.jobs.send(
      'bulk.run',
      { actionId: id },
      { singletonKey: `bulk-${id}`, ...(startAfter ? { startAfter } : {}) },
    );
  }

  /** Runs a control under the row lock, after checking it is allowed for this caller and status. */
  private async control(
    actor: Actor,
    id: number,
    control: BulkControl | null,
    change: (
      tx: Queryable,
      row: repo.BulkActionRow,
    ) => Promise<{ event: string; details?: Record<string, unknown> }>,
  ): Promise<void> {
    const accountId = actor.access.accountId;
    await withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id, true);
      if (control && !this.allowedControls(row, actor).includes(control)) throw this.notAllowed(control, row);
      if (!control && row.createdBy !== actor.userId && !actor.access.rights.has('contacts.bulk')) {
        throw new AppError(
          'FORBIDDEN',
          'Only the creator or holders of contacts.bulk may change this action',
        );
      }
      const { event, details } = await change(tx, row);
      await repo.insertAudit(tx, {
        actionId: id,
        accountId,
        userId: actor.userId,
        event,
        details: details ?? {},
        at: this.clock.now(),
      });
      await notifyBulkChange(tx, accountId, id);
    });
  }

  private notAllowed(control: BulkControl, row: repo.BulkActionRow): AppError {
    if (!CONTROLS_BY_TYPE[row.type].includes(control)) {
      return new AppError('CONFLICT', `A ${row.type} action cannot ${control.replace('_', ' ')}`, {
        control,
        type: row.type,
      });
    }
    return new AppError('CONFLICT', `Cannot ${control.replace('_', ' ')} an action that is ${row.status}`, {
      control,
      status: row.status,
    });
  }

  private restorable(row: repo.BulkActionRow): boolean {
    return (
      row.type === 'delete_contacts' &&
      (row.status === 'completed' || row.status === 'cancelled') &&
      !row.purgedAt &&
      row.restorableUntil !== null &&
      new Date(row.restorableUntil) > this.clock.now()
    );
  }

  private assertRestorable(row: repo.BulkActionRow, actor: Actor): void {
    if (row.type !== 'delete_contacts') throw new AppError('CONFLICT', 'Only delete actions can be restored');
    if (!actor.access.rights.has('contacts.restore'))
      throw new AppError('FORBIDDEN', "Restoring needs the right 'contacts.restore'");
    if (row.purgedAt || (row.restorableUntil && new Date(row.restorableUntil) <= this.clock.now())) {
      throw new AppError(
        'CONFLICT',
        `The restore window ended on ${(row.restorableUntil ?? row.purgedAt ?? '').slice(0, 10)}: these contacts were deleted for good`,
        {
          restorableUntil: row.restorableUntil,
        },
      );
    }
    if (!this.restorable(row))
      throw new AppError('CONFLICT', `Cannot restore an action that is ${row.status}`);
  }

  private async mustFind(
    tx: Queryable,
    accountId: AccountId,
    id: number,
    lock = false,
  ): Promise<repo.BulkActionRow> {
    const row = await repo.findAction(tx, accountId, id, lock);
    if (!row) throw new AppError('NOT_FOUND', 'Bulk action not found');
    return row;
  }

  private assertMayStart(actor: Actor, type: CreateBulkActionBody['type']): void {
    if (!actor.access.rights.has('contacts.bulk'))
      throw new AppError('FORBIDDEN', "Bulk actions need the right 'contacts.bulk'");
    if (type === 'delete_contacts' && !actor.access.rights.has('contacts.delete')) {
      throw new AppError('FORBIDDEN', "Deleting contacts needs the right 'contacts.delete'");
    }
  }

  private async tagNameFor(accountId: AccountId, body: CreateBulkActionBody): Promise<string | undefined> {
    if (body.type !== 'add_tag' && body.type !== 'remove_tag') return undefined;
    if (!body.tagId) {
      throw new AppError('VALIDATION_FAILED', 'A tag action needs a tag', {
        fields: [{ field: 'tagId', message: 'required' }],
      });
    }
    const tagId = Number(body.tagId);
    return withTenant(this.db, accountId, async (tx) => {
      if (!(await existingTagIds(tx, accountId, [tagId])).size) {
        throw new AppError('VALIDATION_FAILED', 'Unknown tag', {
          fields: [{ field: 'tagId', message: 'unknown tag' }],
        });
      }
      const [tag] = await tx
        .select({ name: tags.name })
        .from(tags)
        .where(and(eq(tags.accountId, accountId), eq(tags.id, tagId)));
      return tag?.name;
    });
  }

  private async audit(
    accountId: AccountId,
    actionId: number,
    userId: number,
    event: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await withTenant(this.db, accountId, (tx) =>
      repo.insertAudit(tx, { actionId, accountId, userId, event, details, at: this.clock.now() }),
    );
  }

  toApi(row: repo.BulkActionRow, actor: Actor): BulkAction {
    return {
      id: String(row.id),
      type: row.type,
      name: row.name,
      status: row.status,
      params: row.params,
      createdBy: row.createdBy === null ? null : { id: String(row.createdBy), name: row.createdByName ?? '' },
      createdAt: row.createdAt,
      scheduledFor: row.scheduledFor,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      total: row.total,
      processed: row.processed,
      succeeded: row.succeeded,
      failed: row.failed,
      skipped: row.skipped,
      error: row.error,
      sourceActionId: row.sourceActionId === null ? null : String(row.sourceActionId),
      restorableUntil: this.restorable(row) ? row.restorableUntil : null,
      purgedAt: row.purgedAt,
      controls: this.allowedControls(row, actor),
    };
  }
}

// A page cursor is [createdAt, id] of the last row; decodeCursor answers 400 for anything else.
const actionCursor = z.tuple([cursorTimestamp, cursorId]);

function cursorPosition(cursor: string): { createdAt: string; id: number } {
  const [createdAt, id] = decodeCursor(cursor, actionCursor);
  return { createdAt, id };
}
