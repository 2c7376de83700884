// Substitutes of one source account: in a descendant (the target), an element stands for an
// element of the source, so a distributed element finds its parts there. CRUD, bulk delete,
// candidates for the picker, and the target account's accepted kinds. CSV: substitutes-csv.ts.
import { z } from 'zod';
import type { Clock } from '../../clock.ts';
import type { Db, Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { cursorId, decodeCursor, keysetPage } from '../../security/cursor.ts';
import {
  DISTRIBUTABLE_KINDS,
  type AcceptedKinds,
  type ElementKind,
  type ListSubstitutesQuery,
  type PutSubstituteBody,
  type Substitute,
} from '../../../shared/distribution.ts';
import { assertDescendant } from '../accounts/account-tree.ts';
import { elementsOf, findElement, kindsOfId } from './element-kinds.ts';
import * as repo from './substitutes.repo.ts';

const PAGE = 100;
const listCursor = z.tuple([cursorId]);

/** One substitute to register, by ids (a PUT body, or a CSV row once its names are resolved). */
export interface SubstituteSpec {
  targetAccountId: number;
  kind: ElementKind;
  sourceId: number;
  substituteId: number;
}

/**
 * Checks a substitute before it is written: the target below the source (400
 * DISTRIBUTION_TARGET_INVALID), the source element the source's own of that kind (400
 * SUBSTITUTE_INVALID `source_unknown`), the substitute the target's own of the same kind
 * (`not_in_target`, or `wrong_kind` when the id is the target's element of another kind). Reads run
 * on the plain db with explicit account filters: the target's elements are invisible to the source's
 * tenant transaction, and the target was checked to be a descendant first.
 */
export async function checkSubstitute(q: Queryable, sourceId: AccountId, s: SubstituteSpec): Promise<void> {
  await assertDescendant(q, sourceId, s.targetAccountId);
  if (!(await findElement(q, sourceId, s.kind, s.sourceId)))
    throw invalid('source_unknown', `No ${s.kind} ${s.sourceId} in this account`, s);
  if (await findElement(q, s.targetAccountId, s.kind, s.substituteId)) return;
  const other = await kindsOfId(q, s.targetAccountId, s.substituteId);
  if (other.length > 0)
    throw invalid(
      'wrong_kind',
      `Element ${s.substituteId} of the target is a ${other[0]}, not a ${s.kind}`,
      s,
    );
  throw invalid('not_in_target', `No ${s.kind} ${s.substituteId} in account ${s.targetAccountId}`, s);
}

function invalid(reason: string, message: string, s: SubstituteSpec): AppError {
  return new AppError('SUBSTITUTE_INVALID', message, {
    reason,
    kind: s.kind,
    sourceId: String(s.sourceId),
    substituteId: String(s.substituteId),
    targetAccountId: String(s.targetAccountId),
  });
}

export function toSubstitute(r: repo.SubstituteRow): Substitute {
  return {
    id: String(r.id),
    targetAccount: { id: String(r.targetAccountId), name: r.targetAccountName },
    kind: r.kind,
    source: { id: String(r.sourceId), name: r.sourceName ?? '', missing: r.sourceName === null },
    substitute: {
      id: String(r.substituteId),
      name: r.substituteName ?? '',
      missing: r.substituteName === null,
    },
    updatedAt: r.updatedAt,
  };
}

export class SubstitutesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** A keyset page (by id) of the source's substitutes, filtered; names of both elements. */
  async list(
    sourceId: AccountId,
    query: ListSubstitutesQuery,
  ): Promise<{ items: Substitute[]; nextCursor: string | null }> {
    const limit = query.limit ?? PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, listCursor)[0] : undefined;
    // Plain db with explicit filters: see repo.listSubstitutes.
    const found = await repo.listSubstitutes(this.db, sourceId, {
      targetAccountId: query.targetAccountId === undefined ? undefined : Number(query.targetAccountId),
      kind: query.kind,
      sourceId: query.sourceId === undefined ? undefined : Number(query.sourceId),
      search: query.search ? query.search.normalize('NFC') : undefined,
      afterId: after,
      limit: limit + 1,
    });
    return keysetPage(found, limit, toSubstitute, (r) => [r.id]);
  }

  /**
   * Registers (or re-points) the substitute for one source element in one target: validated by
   * `checkSubstitute`, written in the source's tenant transaction (the RLS policy admits rows whose
   * source_account_id is its own).
   */
  async put(sourceId: AccountId, userId: number, body: PutSubstituteBody): Promise<Substitute> {
    const spec: SubstituteSpec = {
      targetAccountId: Number(body.targetAccountId),
      kind: body.kind,
      sourceId: Number(body.sourceId),
      substituteId: Number(body.substituteId),
    };
    await checkSubstitute(this.db, sourceId, spec);
    const id = await withTenant(this.db, sourceId, (tx) =>
      repo.upsertSubstitute(tx, sourceId, spec, userId, this.clock.now()),
    );
    const [row] = await repo.listSubstitutes(this.db, sourceId, { ids: [id], limit: 1 });
    return toSubstitute(row!);
  }

  /** Deletes one of the source's substitutes; 404 for another account's or an unknown id. */
  async remove(sourceId: AccountId, id: number): Promise<void> {
    const gone = await withTenant(this.db, sourceId, (tx) => repo.deleteSubstitutes(tx, sourceId, [id]));
    if (gone === 0) throw new AppError('NOT_FOUND', 'Substitute not found');
  }

  /** Deletes those of `ids` that are the source's substitutes (others are ignored); answers how many. */
  async bulkDelete(sourceId: AccountId, ids: readonly string[]): Promise<{ deleted: number }> {
    const deleted = await withTenant(this.db, sourceId, (tx) =>
      repo.deleteSubstitutes(tx, sourceId, [...new Set(ids.map(Number))]),
    );
    return { deleted };
  }

  /**
   * Elements of `kind` in a target below the source, for the substitute picker: at most 100 by
   * name, containing `search`, the one named exactly `search` first. Plain db with an explicit
   * account filter (the target's elements are invisible to the source's tenant transaction).
   */
  async candidates(
    sourceId: AccountId,
    query: { targetAccountId: string; kind: ElementKind; search?: string | undefined },
  ): Promise<{ items: { id: string; name: string }[] }> {
    const targetId = Number(query.targetAccountId);
    await assertDescendant(this.db, sourceId, targetId);
    const found = await elementsOf(this.db, targetId, query.kind, {
      search: query.search ? query.search.normalize('NFC') : undefined,
      limit: 100,
    });
    return { items: found.map((e) => ({ id: String(e.id), name: e.name })) };
  }

  /** The kinds of distributed elements this account accepts (no setting: all). */
  async acceptedKinds(accountId: AccountId): Promise<AcceptedKinds> {
    const kinds = await withTenant(this.db, accountId, (tx) => repo.acceptedKinds(tx, accountId));
    return { kinds: kinds ?? [...DISTRIBUTABLE_KINDS] };
  }

  async saveAcceptedKinds(accountId: AccountId, userId: number, body: AcceptedKinds): Promise<AcceptedKinds> {
    // In the order of DISTRIBUTABLE_KINDS, each once.
    const kinds = DISTRIBUTABLE_KINDS.filter((k) => body.kinds.includes(k));
    await withTenant(this.db, accountId, (tx) =>
      repo.saveAcceptedKinds(tx, accountId, kinds, userId, this.clock.now()),
    );
    return { kinds };
  }
}
