import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import { rows, type Db, type Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import type { AccountAccess } from '../accounts/access.service.ts';
import { findTimeZone } from '../accounts/accounts.repo.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { existingTagIds } from '../contacts/catalog.repo.ts';
import { tags } from '../../db/schema.ts';
import {
  CONTROLS_BY_TYPE,
  derivedType,
  rightsFor,
  type BulkAction,
  type BulkActionPage,
  type BulkControl,
  type BulkParams,
  type BulkPreview,
  type BulkType,
  type CreateBulkActionBody,
  type DerivingControl,
  type ListBulkActionsQuery,
} from '../../../shared/bulk-actions.ts';
import type { Language } from '../../../shared/auth.ts';
import { scheduleInstant } from '../../../shared/time-zones.ts';
import type { Selection } from '../../../shared/contacts.ts';
import * as repo from './bulk-actions.repo.ts';
import { actionName, derivedName } from './bulk-names.ts';
import { notifyBulkChange } from './bulk-runner.ts';
import { runOnce, type CreatedAnswer } from './bulk-idempotency.ts';
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

const DERIVED_EVENTS: Record<DerivingControl, { queued: string; idKey: string; createdKey: string }> = {
  restore: { queued: 'restore_queued', idKey: 'restoreActionId', createdKey: 'restores' },
  retry_failed: { queued: 'retry_queued', idKey: 'retryActionId', createdKey: 'retries' },
  undo: { queued: 'undo_queued', idKey: 'undoActionId', createdKey: 'undoes' },
};

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
    this.assertMay(actor, null, body.type);
    const accountId = actor.access.accountId;
    const tagName = await this.tagNameFor(accountId, body);
    const { count } = await this.selections.preview(accountId, body.selection, 0);
    return { count, name: actionName(body.type, count, actor.language, { tagName }) };
  }

  async create(actor: Actor, body: CreateBulkActionBody): Promise<BulkAction> {
    this.assertMay(actor, null, body.type);
    const accountId = actor.access.accountId;
    const tagName = await this.tagNameFor(accountId, body);
    const params: BulkParams = body.tagId ? { tagId: body.tagId, tagName } : {};
    const scheduledFor = body.scheduledFor
      ? scheduleInstant(body.scheduledFor, await findTimeZone(this.db, accountId))
      : null;
    const id = await this.freezeNew(actor, {
      type: body.type,
      params,
      scheduledFor,
      sourceActionId: null,
      derivedAs: null,
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

  /** Moves a queued action's start; a time without offset is wall-clock time in the account's zone. */
  async editSchedule(actor: Actor, id: number, at: string): Promise<BulkAction> {
    const scheduledFor = scheduleInstant(at, await findTimeZone(this.db, actor.access.accountId));
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
      this.assertMay(actor, 'restore', row.type);
      this.assertRestorable(row);
      return {
        count: await repo.countDeletedRecords(tx, accountId, id),
        restorableUntil: row.restorableUntil!,
      };
    });
  }

  /** Queues a restore_contacts action over exactly the contacts this delete job removed. */
  async restore(actor: Actor, id: number): Promise<BulkAction> {
    return this.derive(actor, id, 'restore');
  }

  /** A new action of the same kind over the items that failed. */
  async retryFailed(actor: Actor, id: number): Promise<BulkAction> {
    return this.derive(actor, id, 'retry_failed');
  }

  /** Reverses exactly what a tag action changed: the items it did not skip or fail. */
  async undo(actor: Actor, id: number): Promise<BulkAction> {
    return this.derive(actor, id, 'undo');
  }

  /**
   * Runs a create once per Idempotency-Key (see `runOnce`); without a key, `work` simply runs.
   * `request` names the route and what was asked.
   */
  async once(
    actor: Actor,
    key: string | undefined,
    request: { scope: string; body?: unknown },
    work: () => Promise<BulkAction>,
  ): Promise<CreatedAnswer> {
    if (key === undefined) return { statusCode: 201, action: await work(), replayed: false };
    return runOnce(
      this.db,
      this.clock,
      { accountId: actor.access.accountId, userId: actor.userId, key },
      request,
      work,
    );
  }

  /** Which controls this caller may use on this action right now: offered, fitting its state, and allowed. */
  allowedControls(row: repo.BulkActionRow, actor: Actor): BulkControl[] {
    return CONTROLS_BY_TYPE[row.type].filter(
      (c) => this.stateAllows(row, c) && this.mayChange(actor, c, row.type),
    );
  }

  /**
   * The one answer to "may this user make this change now": the caller's current rights must
   * include every right the change needs (`rightsFor`: for a derived action, the rights of the
   * type it creates; for any other control, those of the action's own type). Whoever created the
   * action gets no more than anyone else: rights lost since then are lost for it too.
   */
  mayChange(actor: Actor, control: BulkControl | null, type: BulkType): boolean {
    return rightsFor(control, type).every((r) => actor.access.rights.has(r));
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
      /** How it derives from its source: at most one of each kind is in flight per source. */
      derivedAs: DerivingControl | null;
      customName?: string;
      nameFor: (count: number) => string;
      /** The next `limit` contacts after position `afterKey`, as (id, key) ordered by key. */
      source: (afterKey: number, limit: number) => SQL;
      details: Record<string, unknown>;
    },
  ): Promise<number> {
    const accountId = actor.access.accountId;
    const now = this.clock.now();
    const { sourceActionId, derivedAs } = spec;
    const inFlight = sourceActionId !== null && derivedAs !== null ? { sourceActionId, derivedAs } : null;
    const id = await withTenant(this.db, accountId, async (tx) => {
      if (inFlight) {
        const first = await repo.findInFlightChild(
          tx,
          accountId,
          inFlight.sourceActionId,
          inFlight.derivedAs,
        );
        if (first !== null) throw alreadyInFlight(inFlight.derivedAs, first);
      }
      const newId = await repo.insertAction(tx, {
        accountId,
        type: spec.type,
        name: spec.customName ?? spec.nameFor(0),
        params: spec.params,
        createdBy: actor.userId,
        now,
        scheduledFor: spec.scheduledFor,
        sourceActionId: spec.sourceActionId,
        derivedAs: spec.derivedAs,
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
    }).catch(async (err: unknown) => {
      // A parallel request inserted its action between our check and our insert: the unique index
      // bulk_actions_one_in_flight_idx refused ours.
      if (!inFlight || violatedUniqueConstraint(err) === null) throw err;
      const first = await withTenant(this.db, accountId, (tx) =>
        repo.findInFlightChild(tx, accountId, inFlight.sourceActionId, inFlight.derivedAs),
      );
      throw alreadyInFlight(inFlight.derivedAs, first);
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

  /** Runs a control under the row lock, after checking the caller's rights, then the action's state. */
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
      // Rights first: a caller who may not make this change learns nothing about the action's state.
      this.assertMay(actor, control, row.type);
      if (control && !(CONTROLS_BY_TYPE[row.type].includes(control) && this.stateAllows(row, control)))
        throw this.notAllowed(control, row);
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

  private assertRestorable(row: repo.BulkActionRow): void {
    if (row.type !== 'delete_contacts') throw new AppError('CONFLICT', 'Only delete actions can be restored');
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

  /** 403 unless the caller may make this change now (see `mayChange`); names the first missing right. */
  private assertMay(actor: Actor, control: BulkControl | null, type: BulkType): void {
    const missing = rightsFor(control, type).find((r) => !actor.access.rights.has(r));
    if (missing) throw new AppError('FORBIDDEN', `This needs the right '${missing}'`, { right: missing });
  }

  /** Whether the action's state lets `control` apply now (rights aside). */
  private stateAllows(row: repo.BulkActionRow, control: BulkControl): boolean {
    const s = row.status;
    const ended = s === 'completed' || s === 'cancelled' || s === 'failed';
    switch (control) {
      case 'pause':
        return row.frozen && (s === 'queued' || s === 'in_progress');
      case 'resume':
        return s === 'paused';
      case 'cancel':
        return s === 'queued' || s === 'in_progress' || s === 'paused';
      case 'edit_schedule':
        return s === 'queued' && row.frozen;
      case 'restore':
        return this.restorable(row);
      case 'retry_failed':
        return ended && row.failed > 0;
      case 'undo':
        return ended && row.succeeded > 0;
    }
  }

  /**
   * Creates the action `control` derives from action `id`: rights for the change the new action
   * makes, then the source's state, then at most one such action in flight per source.
   */
  private async derive(actor: Actor, id: number, control: DerivingControl): Promise<BulkAction> {
    const accountId = actor.access.accountId;
    const { source, sourceName } = await withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      this.assertMay(actor, control, row.type);
      if (control === 'restore') this.assertRestorable(row);
      else if (!(CONTROLS_BY_TYPE[row.type].includes(control) && this.stateAllows(row, control)))
        throw this.notAllowed(control, row);
      // What a restore's name mentions: its delete job (a retried restore: the same delete job).
      let name: string | undefined = control === 'restore' ? row.name : row.params.sourceName;
      if (name === undefined && row.type === 'restore_contacts' && row.sourceActionId !== null)
        name = (await repo.findAction(tx, accountId, row.sourceActionId))?.name;
      return { source: row, sourceName: name };
    });
    const type = derivedType(control, source.type);
    const params: BulkParams =
      control === 'restore'
        ? { sourceActionId: String(id), ...(sourceName === undefined ? {} : { sourceName }) }
        : { ...source.params, ...(sourceName === undefined ? {} : { sourceName }) };
    const events = DERIVED_EVENTS[control];
    const newId = await this.freezeNew(actor, {
      type,
      params,
      scheduledFor: null,
      sourceActionId: id,
      derivedAs: control,
      nameFor: (n) =>
        derivedName(control, source.type, n, actor.language, { tagName: source.params.tagName, sourceName }),
      source: this.derivedSource(control, source),
      details: { [events.createdKey]: id },
    });
    await this.audit(accountId, id, actor.userId, events.queued, { [events.idKey]: newId });
    return this.get(actor, newId);
  }

  /** The contacts a derived action works on, as (id, key) ordered by key. */
  private derivedSource(
    control: DerivingControl,
    source: repo.BulkActionRow,
  ): (after: number, limit: number) => SQL {
    const accountId = source.accountId;
    const id = source.id;
    switch (control) {
      case 'restore':
        return (after, limit) =>
          sql`SELECT d.contact_id AS id, d.contact_id AS key FROM bulk_deleted_contacts d
              WHERE d.account_id = ${accountId} AND d.action_id = ${id} AND d.contact_id > ${after} ORDER BY d.contact_id LIMIT ${limit}`;
      case 'retry_failed':
        return (after, limit) =>
          sql`SELECT o.contact_id AS id, o.contact_id AS key FROM bulk_action_outcomes o
              WHERE o.account_id = ${accountId} AND o.action_id = ${id} AND o.outcome = 'failed' AND o.contact_id > ${after}
              ORDER BY o.contact_id LIMIT ${limit}`;
      case 'undo':
        return (after, limit) =>
          sql`SELECT i.contact_id AS id, i.seq AS key FROM bulk_action_items i
              WHERE i.action_id = ${id} AND i.seq <= ${source.cursor} AND i.seq > ${after}
                AND NOT EXISTS (SELECT 1 FROM bulk_action_outcomes o WHERE o.action_id = ${id} AND o.contact_id = i.contact_id)
              ORDER BY i.seq LIMIT ${limit}`;
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
      prepared: row.frozen ? row.total : 0,
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

/** 409 naming the action of this kind already in flight for the same source. */
function alreadyInFlight(control: DerivingControl, first: number | null): AppError {
  const what = { restore: 'A restore', retry_failed: 'A retry', undo: 'An undo' }[control];
  return new AppError('CONFLICT', `${what} of this action is already in progress`, {
    control,
    ...(first === null ? {} : { actionId: String(first) }),
  });
}

// A page cursor is [createdAt, id] of the last row; decodeCursor answers 400 for anything else.
const actionCursor = z.tuple([cursorTimestamp, cursorId]);

function cursorPosition(cursor: string): { createdAt: string; id: number } {
  const [createdAt, id] = decodeCursor(cursor, actionCursor);
  return { createdAt, id };
}
