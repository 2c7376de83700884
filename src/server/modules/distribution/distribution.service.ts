// The source account's side of distributions: targets, dry run, start (and retry), history,
// copies and rollback. Rules live here; SQL in the repositories; the run in DistributionRunner.
import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/types.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor, JobSender } from '../../jobs/types.ts';
import { decodeCursor, cursorId, encodeCursor } from '../../security/cursor.ts';
import { z } from 'zod';
import {
  PLAN_OUTCOMES,
  type CreateDistributionBody,
  type DistributableKind,
  type Distribution,
  type DistributionOperation,
  type DistributionTarget,
  type ElementCopy,
  type ListDistributionsQuery,
  type ListTargetsQuery,
  type Plan,
  type PlanBody,
  type PlanOutcome,
  type PlanTarget,
  type TargetAccount,
  type TargetSpec,
} from '../../../shared/distribution.ts';
import * as repo from './distributions.repo.ts';
import { copyNames, listCopies, type CopyRow } from './targets.repo.ts';
import { listDescendants, type DescendantRow } from '../accounts/account-tree.ts';
import { readSnapshot } from './snapshot.ts';
import { findCopy, resolveTarget, sameName, type OnModified, type Resolution } from './resolver.ts';
import { deleteCopy, newestVersion, restoreVersion } from './copies.repo.ts';
import { guardRemoval } from './copy-removal.ts';

const invalidTarget = (accountId: number | null, reason: 'self' | 'not_descendant' | 'none'): AppError =>
  new AppError(
    'DISTRIBUTION_TARGET_INVALID',
    reason === 'none'
      ? 'No target account matches'
      : reason === 'self'
        ? `Account ${accountId} is the source account itself`
        : `Account ${accountId} is not below this account`,
    { accountId: accountId === null ? null : String(accountId), reason },
  );

/** What starting a distribution needs once its targets are known. */
interface NewRun {
  operation: DistributionOperation;
  kind: DistributableKind;
  elementId: number;
  targets: { accountId: number; onModified: OnModified }[];
  retryOf: number | null;
}

export class DistributionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly jobs: JobSender,
  ) {}

  /** The accounts below the source, for the target picker. */
  async targets(accountId: number): Promise<{ items: TargetAccount[] }> {
    const found = await listDescendants(this.db, accountId);
    return {
      items: found.map((a) => ({
        id: String(a.id),
        name: a.name,
        parentId: String(a.parentId),
        depth: a.depth,
      })),
    };
  }

  /**
   * Dry run: the resolver per target, read-only; nothing is written. 400
   * DISTRIBUTION_TARGET_INVALID for a bad target spec, 404 for an element the account lacks.
   */
  async plan(actor: Actor, accountId: number, body: PlanBody): Promise<Plan> {
    requireRight(actor, accountId);
    const source = accountId;
    const snapshot = await withTenant(this.db, asAccountId(source), (tx) =>
      readSnapshot(tx, source, body.element.kind, Number(body.element.id)),
    );
    if (!snapshot) throw notFound('Element');
    const below = await listDescendants(this.db, source);
    const targets = resolveSpecIn(source, below, body.targets);
    const names = new Map(below.map((a) => [a.id, a.name]));
    // Cross-account reads of the targets' elements with explicit account filters, in one
    // read-only transaction: the dry run cannot write, and every target sees the same moment.
    // The targets were just checked against the subtree: the resolver need not check again.
    const resolutions = await this.db.transaction(async (tx) => {
      await tx.execute(sql`SET TRANSACTION READ ONLY`);
      const out: [number, Resolution][] = [];
      for (const t of targets) {
        out.push([t, await resolveTarget(tx, snapshot, source, t, 'skip', { knownDescendant: true })]);
      }
      return out;
    });
    const counts = Object.fromEntries(PLAN_OUTCOMES.map((o) => [o, 0])) as Record<PlanOutcome, number>;
    const planned = resolutions.map(([t, r]) => {
      const p = planTarget(r);
      counts[p.outcome] += 1;
      return { account: { id: String(t), name: names.get(t) ?? '' }, ...p };
    });
    return {
      element: { kind: snapshot.kind, id: snapshot.id, name: snapshot.name, version: snapshot.version },
      references: snapshot.references.map((r) => ({ kind: r.kind, id: r.id, name: r.name })),
      targets: planned,
      counts,
    };
  }

  /**
   * Starts a distribution (or activation change): target rows in one transaction with the
   * snapshot, then the job. The same Idempotency-Key answers the same distribution. 409
   * DISTRIBUTION_BUSY while another one of the element runs.
   */
  async start(
    actor: Actor,
    accountId: number,
    body: CreateDistributionBody,
    idempotencyKey?: string,
  ): Promise<Distribution> {
    requireRight(actor, accountId);
    const operation = body.operation ?? 'distribute';
    const kind = body.element.kind;
    const elementId = Number(body.element.id);
    if (idempotencyKey) {
      const known = await this.byKey(actor, accountId, idempotencyKey);
      if (known) return known;
    }
    const exists = await withTenant(this.db, asAccountId(accountId), (tx) =>
      readSnapshot(tx, accountId, kind, elementId),
    );
    if (!exists) throw notFound('Element');
    const ids =
      operation === 'distribute' || body.targets.mode === 'selected'
        ? await this.resolveSpec(accountId, body.targets)
        : await this.copyHolders(accountId, kind, elementId, body.targets);
    const modes = body.onModified ?? {};
    return this.create(
      actor,
      accountId,
      {
        operation,
        kind,
        elementId,
        targets: ids.map((id) => ({ accountId: id, onModified: modes[String(id)] ?? 'skip' })),
        retryOf: null,
      },
      idempotencyKey,
    );
  }

  /**
   * A new distribution (fresh snapshot, same operation) over exactly the failed targets of
   * `distributionId`, with their choices for local edits (one that left the subtree since fails
   * not_descendant in the run). 409 CONFLICT when none failed.
   */
  async retry(actor: Actor, accountId: number, distributionId: number, idempotencyKey?: string) {
    requireRight(actor, accountId);
    if (idempotencyKey) {
      const known = await this.byKey(actor, accountId, idempotencyKey);
      if (known) return known;
    }
    const original = await withTenant(this.db, asAccountId(accountId), (tx) =>
      repo.findDistribution(tx, accountId, distributionId),
    );
    if (!original) throw notFound('Distribution');
    const failed = await withTenant(this.db, asAccountId(accountId), (tx) =>
      repo.listTargets(tx, { id: distributionId, kind: original.elementKind }, { status: 'failed' }, 100_000),
    );
    if (!failed.length) {
      throw new AppError('CONFLICT', 'No target of this distribution failed', { reason: 'nothing_failed' });
    }
    // A failed target that left the subtree meanwhile stays in: the run records not_descendant for
    // it, and the others are retried (refusing all of them would strand them).
    return this.create(
      actor,
      accountId,
      {
        operation: original.operation,
        kind: original.elementKind,
        elementId: Number(original.elementId),
        targets: failed.map((t) => ({ accountId: t.targetAccountId, onModified: t.onModified })),
        retryOf: distributionId,
      },
      idempotencyKey,
    );
  }

  private async byKey(actor: Actor, accountId: number, key: string): Promise<Distribution | null> {
    const id = await withTenant(this.db, asAccountId(accountId), (tx) =>
      repo.findByIdempotencyKey(tx, accountId, actor.userId, key),
    );
    return id === null ? null : this.get(accountId, id);
  }

  private async create(
    actor: Actor,
    accountId: number,
    run: NewRun,
    idempotencyKey: string | undefined,
  ): Promise<Distribution> {
    let id: number;
    try {
      id = await withTenant(this.db, asAccountId(accountId), async (tx) => {
        // FOR UPDATE on the element: concurrent starts of the same element take turns here.
        const snapshot = await readSnapshot(tx, accountId, run.kind, run.elementId, true);
        if (!snapshot) throw notFound('Element');
        if (idempotencyKey) {
          const known = await repo.findByIdempotencyKey(tx, accountId, actor.userId, idempotencyKey);
          if (known !== null) return known;
        }
        const running = await repo.runningOf(tx, accountId, run.kind, run.elementId);
        if (running !== null) {
          throw new AppError('DISTRIBUTION_BUSY', 'A distribution of this element is still running', {
            distributionId: String(running),
          });
        }
        return repo.insertDistribution(tx, {
          accountId,
          operation: run.operation,
          snapshot,
          retryOf: run.retryOf,
          idempotencyKey: idempotencyKey ?? null,
          userId: actor.userId,
          at: this.clock.now(),
          targets: run.targets,
        });
      });
    } catch (err) {
      // Two requests with one key raced past the check: the first one's distribution is the answer.
      if (idempotencyKey && violatedUniqueConstraint(err) === 'distributions_idempotency_key') {
        const known = await this.byKey(actor, accountId, idempotencyKey);
        if (known) return known;
      }
      throw err;
    }
    await this.jobs.send('distribution.run', { distributionId: id }, { singletonKey: `distribution-${id}` });
    return this.get(accountId, id);
  }

  /** Target account ids of a spec: descendants only (400 naming the first bad one, or none at all). */
  private async resolveSpec(source: number, spec: TargetSpec): Promise<number[]> {
    return resolveSpecIn(source, await listDescendants(this.db, source), spec);
  }

  /** Activation targets for 'all' / 'name': the descendants holding a copy of the element. */
  private async copyHolders(source: number, kind: DistributableKind, elementId: number, spec: TargetSpec) {
    const copies = await listCopies(this.db, source, kind, elementId);
    const part = spec.mode === 'name' ? spec.filter.toLowerCase() : '';
    const ids = copies.filter((c) => c.accountName.toLowerCase().includes(part)).map((c) => c.accountId);
    if (!ids.length) throw invalidTarget(null, 'none');
    return [...new Set(ids)];
  }

  /** One distribution with its counts (404 for another account's). */
  async get(accountId: number, distributionId: number): Promise<Distribution> {
    const row = await withTenant(this.db, asAccountId(accountId), (tx) =>
      repo.findDistribution(tx, accountId, distributionId),
    );
    if (!row) throw notFound('Distribution');
    return toDistribution(row);
  }

  /** History, newest first (of one element when filtered). */
  async list(accountId: number, query: ListDistributionsQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, z.tuple([cursorId]))[0] : undefined;
    const found = await withTenant(this.db, asAccountId(accountId), (tx) =>
      repo.listDistributions(
        tx,
        accountId,
        {
          kind: query.elementKind,
          elementId: query.elementId === undefined ? undefined : Number(query.elementId),
          beforeId: after,
        },
        limit + 1,
      ),
    );
    const page = found.slice(0, limit);
    return {
      items: page.map(toDistribution),
      nextCursor: found.length > limit ? encodeCursor([page.at(-1)!.id]) : null,
    };
  }

  /** A page of one distribution's targets, position order, filtered by status. */
  async listTargets(accountId: number, distributionId: number, query: ListTargetsQuery) {
    const limit = query.limit ?? 100;
    const after = query.cursor ? decodeCursor(query.cursor, z.tuple([cursorId]))[0] : undefined;
    const { kind, found } = await withTenant(this.db, asAccountId(accountId), async (tx) => {
      const d = await repo.findDistribution(tx, accountId, distributionId);
      if (!d) throw notFound('Distribution');
      const targets = await repo.listTargets(
        tx,
        { id: d.id, kind: d.elementKind },
        { status: query.status, afterPosition: after },
        limit + 1,
      );
      return { kind: d.elementKind, found: targets };
    });
    const page = found.slice(0, limit);
    const names = await copyNames(
      this.db,
      accountId,
      kind,
      page.flatMap((t) => (t.copyId ? [{ accountId: t.targetAccountId, copyId: t.copyId }] : [])),
    );
    const items: DistributionTarget[] = page.map((t) => ({
      account: { id: String(t.targetAccountId), name: t.accountName },
      status: t.status,
      reason: t.reason,
      detail: t.detail,
      onModified: t.onModified,
      copy: t.copyId ? { id: t.copyId, name: names.get(t.copyId) ?? '' } : null,
      finishedAt: t.finishedAt,
    }));
    return { items, nextCursor: found.length > limit ? encodeCursor([page.at(-1)!.position]) : null };
  }

  /** Every descendant's copy of the source element (404 when the account has no such element). */
  async copies(
    accountId: number,
    kind: DistributableKind,
    elementId: number,
  ): Promise<{ items: ElementCopy[] }> {
    await this.requireElement(accountId, kind, elementId);
    return { items: (await listCopies(this.db, accountId, kind, elementId)).map(toCopy) };
  }

  /**
   * Rolls one target's copy back to before the last distribution: restores the newest kept
   * version (→ the copy), or removes a copy that distribution created (→ null). 404 without a copy;
   * 409 CONFLICT `copy_in_use` for a mailing copy that is no longer a draft (or cancelled) and for a
   * template copy the target's own mailings use; 409 CONFLICT `name_conflict` when the old name is
   * taken in the target since. Removing keeps the guards of a normal delete: 409 IN_USE while an
   * unfinished bulk action uses the template copy, 409 SUBSTITUTE_IN_USE while the copy serves as a
   * substitute unless `confirm` (then its substitute rows go with it). Nothing changes on a 409.
   */
  async rollback(
    accountId: number,
    kind: DistributableKind,
    elementId: number,
    targetAccountId: number,
    confirm = false,
  ): Promise<ElementCopy | null> {
    await this.requireElement(accountId, kind, elementId);
    if (targetAccountId === accountId) throw invalidTarget(targetAccountId, 'self');
    const below = new Set((await listDescendants(this.db, accountId)).map((a) => a.id));
    if (!below.has(targetAccountId)) throw invalidTarget(targetAccountId, 'not_descendant');
    const target = asAccountId(targetAccountId);
    const restored = await withTenant(this.db, target, async (tx) => {
      const copy = await findCopy(tx, { kind, id: String(elementId) }, accountId, targetAccountId, true);
      if (!copy) throw notFound('Copy');
      // A scheduled, running or finished send must keep the content it was (or is being) sent with.
      if (copy.status !== null && !['draft', 'cancelled'].includes(copy.status)) {
        throw new AppError('CONFLICT', 'The copy is scheduled, being sent or was sent', {
          reason: 'copy_in_use',
        });
      }
      const version = await newestVersion(tx, targetAccountId, kind, copy.id);
      if (version) {
        const taken = await sameName(tx, kind, targetAccountId, version.name, copy.id);
        if (taken !== null) {
          throw new AppError('CONFLICT', `An element named "${taken}" exists in the target account`, {
            reason: 'name_conflict',
            name: taken,
          });
        }
        await restoreVersion(tx, targetAccountId, kind, copy.id, version.id, this.clock.now());
        return true;
      }
      await guardRemoval(tx, target, kind, copy.id, confirm);
      await deleteCopy(tx, targetAccountId, kind, copy.id);
      return false;
    });
    if (!restored) return null;
    const [copy] = await listCopies(this.db, accountId, kind, elementId, targetAccountId);
    return toCopy(copy!);
  }

  private async requireElement(accountId: number, kind: DistributableKind, elementId: number): Promise<void> {
    const found = await withTenant(this.db, asAccountId(accountId), (tx) =>
      readSnapshot(tx, accountId, kind, elementId),
    );
    if (!found) throw notFound('Element');
  }
}

/**
 * The actor acts in the source account and holds `distribution.manage` there (the routes check it
 * first; this guards direct callers such as jobs and the bench). 403 FORBIDDEN otherwise.
 */
function requireRight(actor: Actor, accountId: number): void {
  if (Number(actor.access.accountId) !== accountId || !actor.access.rights.has('distribution.manage')) {
    throw new AppError('FORBIDDEN', "This action needs the right 'distribution.manage'", {
      right: 'distribution.manage',
    });
  }
}

/** Target account ids of a spec within the subtree `below` (400 naming the first bad one, or none at all). */
function resolveSpecIn(source: number, below: DescendantRow[], spec: TargetSpec): number[] {
  let ids: number[];
  if (spec.mode === 'all') ids = below.map((a) => a.id);
  else if (spec.mode === 'name') {
    const part = spec.filter.toLowerCase();
    ids = below.filter((a) => a.name.toLowerCase().includes(part)).map((a) => a.id);
  } else {
    const known = new Set(below.map((a) => a.id));
    const picked = new Set<number>();
    for (const raw of spec.accountIds) {
      const id = Number(raw);
      if (id === source) throw invalidTarget(id, 'self');
      if (!known.has(id)) throw invalidTarget(id, 'not_descendant');
      picked.add(id);
    }
    ids = [...picked];
  }
  if (!ids.length) throw invalidTarget(null, 'none');
  return ids;
}

function planTarget(r: Resolution): Omit<PlanTarget, 'account'> {
  const copyOf = (c: { id: string; name: string; originVersion?: number | null }) => ({
    id: c.id,
    name: c.name,
    originVersion: c.originVersion ?? null,
  });
  switch (r.status) {
    case 'created':
      return { outcome: 'create', reason: null, detail: null, copy: null };
    case 'updated':
      return { outcome: 'update', reason: null, detail: null, copy: copyOf(r.copy) };
    case 'unchanged':
      return { outcome: 'unchanged', reason: null, detail: null, copy: copyOf(r.copy) };
    case 'skipped':
      // A target that keeps its own element stays as it is: unchanged, with the reason.
      return r.reason === 'locally_modified'
        ? { outcome: 'locally_modified', reason: 'locally_modified', detail: null, copy: copyOf(r.copy) }
        : { outcome: 'unchanged', reason: 'kept_local', detail: null, copy: copyOf(r.copy) };
    case 'failed':
      return { outcome: 'fail', reason: r.reason, detail: r.detail, copy: r.copy ? copyOf(r.copy) : null };
  }
}

function toDistribution(r: repo.DistributionRow): Distribution {
  return {
    id: String(r.id),
    operation: r.operation,
    element: { kind: r.elementKind, id: r.elementId, name: r.elementName, version: r.elementVersion },
    status: r.status,
    counts: r.counts,
    retryOf: r.retryOf,
    createdBy: r.createdBy === null ? null : { id: String(r.createdBy), name: r.createdByName ?? '' },
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}

function toCopy(c: CopyRow): ElementCopy {
  return {
    account: { id: String(c.accountId), name: c.accountName },
    copy: { id: c.copyId, name: c.copyName },
    active: c.active,
    originVersion: c.originVersion,
    distributedAt: c.distributedAt,
    locallyModified: c.locallyModified,
    canRollback: c.canRollback,
  };
}
