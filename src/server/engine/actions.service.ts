import type { Clock } from '../clock.ts';
import type { Db, Queryable, Tx } from '../db/types.ts';
import { withTenant, type AccountId } from '../db/tenant.ts';
import { AppError } from '../errors.ts';
import { violatedUniqueConstraint } from '../db/pg-errors.ts';
import { findTimeZone } from '../modules/accounts/accounts.repo.ts';
import {
  DERIVING_CONTROLS,
  type BulkAction,
  type BulkActionPage,
  type BulkControl,
  type BulkType,
  type DerivingControl,
  type ListBulkActionsQuery,
} from '../../shared/bulk-actions.ts';
import type { Right } from '../../shared/rights.ts';
import { checkedScheduleInstant } from '../schedule-instant.ts';
import type { Actor, JobSender } from '../jobs/types.ts';
import * as repo from './actions.repo.ts';
import { notifyBulkChange } from './events.ts';
import { cancelPendingOfAction } from './delivery/delivery.repo.ts';
import { runOnce, type CreatedAnswer } from './idempotency.ts';
import { renderName, type ItemsSource } from './names.ts';
import type { BulkTypeRegistry } from './registry.ts';
import { z } from 'zod';
import { cursorId, cursorTimestamp, decodeCursor, keysetPage } from '../security/cursor.ts';

const DERIVED_EVENTS: Record<DerivingControl, { queued: string; idKey: string; createdKey: string }> = {
  restore: { queued: 'restore_queued', idKey: 'restoreActionId', createdKey: 'restores' },
  retry_failed: { queued: 'retry_queued', idKey: 'retryActionId', createdKey: 'retries' },
  undo: { queued: 'undo_queued', idKey: 'undoActionId', createdKey: 'undoes' },
};

/** What a feature gives to start an action of one of its types. */
export interface StartSpec {
  type: string;
  /** The type's parameters (checked against its schema). */
  params: Record<string, unknown>;
  /** Where its items come from, as the type's `items` reads it (a selection, an uploaded file, …). */
  source: unknown;
  /** The count the creator confirmed: the total shown while the items are frozen. */
  expected: number;
  scheduledFor?: string | undefined;
  /** A name the user typed; otherwise the type generates one in each reader's language. */
  customName?: string | undefined;
  /** For the audit trail's `created` entry (what was asked). */
  details: Record<string, unknown>;
  /**
   * Writes the feature's own rows for the new action in the transaction that creates it (before
   * any worker can see it), e.g. an import's settings. Throwing aborts the start.
   */
  onCreate?: ((tx: Tx, actionId: number) => Promise<void>) | undefined;
}

/**
 * The bulk engine's front: starts actions of any registered type (the row is created at once,
 * status `preparing`; the worker freezes the items), lists them, and applies the row-menu
 * controls: pause, resume, cancel, edit schedule, rename, restore, retry failed, undo. Running them
 * is the BulkRunner's job, queued through `bulk.run`.
 */
export class BulkActionsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly jobs: JobSender,
    readonly registry: BulkTypeRegistry,
  ) {}

  /**
   * Creates an action of a registered type and queues its freeze; answers at once, whatever the
   * number of items. 403 without the type's rights; 400 for params its schema refuses.
   */
  async start(actor: Actor, spec: StartSpec): Promise<BulkAction> {
    this.assertMay(actor, null, spec.type);
    const parsed = this.registry.get(spec.type).params.safeParse(spec.params);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'Invalid parameters for this type', {
        fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
    const scheduledFor = spec.scheduledFor
      ? checkedScheduleInstant(spec.scheduledFor, await findTimeZone(this.db, actor.access.accountId))
      : null;
    const id = await this.insertPreparing(actor, {
      type: spec.type,
      params: spec.params,
      scheduledFor,
      sourceActionId: null,
      derivedAs: null,
      customName: spec.customName,
      source: { kind: 'feature', source: spec.source },
      expected: spec.expected,
      details: spec.details,
      onCreate: spec.onCreate,
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
    return keysetPage(
      found,
      query.limit,
      (r) => this.toApi(r, actor),
      (last) => [last.createdAt, last.id],
    );
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
      const now = this.clock.now();
      await repo.setStatus(tx, row.id, 'cancelled', now, { finished: true });
      // Deliveries of its items not yet claimed are not sent; those in flight finish as they are.
      await cancelPendingOfAction(tx, row.id, now);
      // What the type does when an action ends (a cancelled delete job stays restorable for what it did delete).
      await this.registry.get(row.type).onEnded?.(tx, row, now, 'cancelled');
      return { event: 'cancelled', details: { processed: row.processed, total: row.total } };
    });
    return this.get(actor, id);
  }

  /** Moves a queued action's start; a time without offset is wall-clock time in the account's zone. */
  async editSchedule(actor: Actor, id: number, at: string): Promise<BulkAction> {
    const scheduledFor = checkedScheduleInstant(at, await findTimeZone(this.db, actor.access.accountId));
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

  /** How many items a restore would bring back, and until when restore is possible. */
  async restorePreview(actor: Actor, id: number): Promise<{ count: number; restorableUntil: string }> {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      this.assertMay(actor, 'restore', row.type);
      this.assertRestorable(row);
      const count = this.registry.get(row.type).derive?.restore?.count;
      return { count: count ? await count(tx, row) : 0, restorableUntil: row.restorableUntil! };
    });
  }

  /** Queues the action that restores what this one removed (a delete job: its contacts). */
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
    const spec = this.registry.find(row.type);
    if (!spec) return [];
    return spec.controls.filter(
      (c) =>
        this.stateAllows(row, c) && (spec.allows?.(row, c) ?? true) && this.mayChange(actor, c, row.type),
    );
  }

  /**
   * The one answer to "may this user make this change now": the caller's current rights must
   * include every right the change needs (`rightsFor`: for a derived action, the rights of the
   * type it creates; for any other control, those of the action's own type). Whoever created the
   * action gets no more than anyone else: rights lost since then are lost for it too.
   */
  mayChange(actor: Actor, control: BulkControl | null, type: string): boolean {
    return this.rightsFor(control, type).every((r) => actor.access.rights.has(r));
  }

  /**
   * The rights `control` (null: rename, or starting one) on an action of `type` needs: a deriving
   * control makes a change of the type it derives, any other control changes the action itself.
   */
  rightsFor(control: BulkControl | null, type: string): readonly Right[] {
    const spec = this.registry.get(type);
    const derived =
      control !== null && (DERIVING_CONTROLS as readonly string[]).includes(control)
        ? spec.derive?.[control as DerivingControl]?.type
        : undefined;
    return derived ? this.registry.get(derived).rights : spec.rights;
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * Creates the action row, status `preparing` with the expected count, and queues the job whose
   * first step freezes its items (runner.ts). At most one restore, retry or undo per source is in
   * flight: a check here, and the unique index bulk_actions_one_in_flight_idx for parallel requests.
   */
  private async insertPreparing(
    actor: Actor,
    spec: {
      type: string;
      params: Record<string, unknown>;
      scheduledFor: Date | null;
      sourceActionId: number | null;
      derivedAs: DerivingControl | null;
      customName?: string | undefined;
      source: ItemsSource;
      expected: number;
      details: Record<string, unknown>;
      onCreate?: ((tx: Tx, actionId: number) => Promise<void>) | undefined;
    },
  ): Promise<number> {
    const accountId = actor.access.accountId;
    const now = this.clock.now();
    const { sourceActionId, derivedAs } = spec;
    const inFlight = sourceActionId !== null && derivedAs !== null ? { sourceActionId, derivedAs } : null;
    const nameSpec = spec.customName ? null : { count: spec.expected, lang: actor.language };
    const name =
      spec.customName ??
      renderName(this.registry, { ...spec, name: '', nameSpec, derivedAs: spec.derivedAs }, actor.language);
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
      // The bound is taken now: items created after this call are never part of the action.
      const maxSubject =
        spec.source.kind === 'feature'
          ? ((await this.registry.get(spec.type).maxSubject?.(tx)) ?? null)
          : null;
      const newId = await repo.insertAction(tx, {
        accountId,
        type: spec.type,
        name,
        nameSpec,
        params: spec.params,
        createdBy: actor.userId,
        now,
        scheduledFor: spec.scheduledFor,
        sourceActionId: spec.sourceActionId,
        derivedAs: spec.derivedAs,
        source: spec.source,
        expected: spec.expected,
        maxSubject,
      });
      await repo.insertAudit(tx, {
        actionId: newId,
        accountId,
        userId: actor.userId,
        event: 'created',
        details: spec.details,
        at: now,
      });
      await spec.onCreate?.(tx, newId);
      await notifyBulkChange(tx, accountId, newId);
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
    await this.kick(id);
    return id;
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
      if (control && !(this.offers(row.type, control) && this.stateAllows(row, control)))
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

  private offers(type: string, control: BulkControl): boolean {
    const spec = this.registry.get(type);
    const deriving = (DERIVING_CONTROLS as readonly string[]).includes(control);
    return (
      spec.controls.includes(control) && (!deriving || Boolean(spec.derive?.[control as DerivingControl]))
    );
  }

  private notAllowed(control: BulkControl, row: repo.BulkActionRow): AppError {
    if (!this.offers(row.type, control)) {
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
      this.offers(row.type, 'restore') &&
      (row.status === 'completed' || row.status === 'cancelled') &&
      !row.purgedAt &&
      row.restorableUntil !== null &&
      new Date(row.restorableUntil) > this.clock.now()
    );
  }

  private assertRestorable(row: repo.BulkActionRow): void {
    if (!this.offers(row.type, 'restore'))
      throw new AppError('CONFLICT', 'Only delete actions can be restored');
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
  assertMay(actor: Actor, control: BulkControl | null, type: string): void {
    const missing = this.rightsFor(control, type).find((r) => !actor.access.rights.has(r));
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
        return s === 'preparing' || s === 'queued' || s === 'in_progress' || s === 'paused';
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
    const source = await withTenant(this.db, accountId, async (tx) => {
      const row = await this.mustFind(tx, accountId, id);
      this.assertMay(actor, control, row.type);
      if (control === 'restore') this.assertRestorable(row);
      else if (!(
        this.offers(row.type, control) &&
        this.stateAllows(row, control) &&
        (this.registry.get(row.type).allows?.(row, control) ?? true)
      ))
        throw this.notAllowed(control, row);
      const count = this.registry.get(row.type).derive?.restore?.count;
      const expected =
        control === 'restore'
          ? count
            ? await count(tx, row)
            : 0
          : control === 'retry_failed'
            ? row.failed
            : row.succeeded;
      return { row, expected };
    });
    const spec = this.registry.get(source.row.type);
    const derivation = spec.derive![control]!;
    const params = derivation.params(source.row, spec.params.parse(source.row.params), {
      sourceName: renderName(this.registry, source.row, actor.language),
    });
    const events = DERIVED_EVENTS[control];
    const newId = await this.insertPreparing(actor, {
      type: derivation.type,
      params,
      scheduledFor: null,
      sourceActionId: id,
      derivedAs: control,
      source: { kind: 'derived', control, sourceActionId: id },
      expected: source.expected,
      details: { [events.createdKey]: id },
    });
    await this.audit(accountId, id, actor.userId, events.queued, { [events.idKey]: newId });
    return this.get(actor, newId);
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
      type: row.type as BulkType,
      name: renderName(this.registry, row, actor.language),
      status: row.status,
      params: row.params,
      createdBy: row.createdBy === null ? null : { id: String(row.createdBy), name: row.createdByName ?? '' },
      createdAt: row.createdAt,
      scheduledFor: row.scheduledFor,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      total: row.total,
      prepared: row.prepared,
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
