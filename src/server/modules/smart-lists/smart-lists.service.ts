import type { Clock } from '../../clock.ts';
import { isoTime, type Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { filterGroupSchema, type FilterGroup, type SmartList } from '../../../shared/contacts.ts';
import { countContacts, liveContacts } from '../contacts/contacts.repo.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { sql } from 'drizzle-orm';
import * as repo from './smart-lists.repo.ts';
import { smartListNoteSchema } from '../../../shared/references.ts';
import { releaseSubstitutes } from '../substitutes/substitute-usage.ts';

/** Saved, named filters. A filter is checked the same way on save and on use (SelectionService.checkFilter). */
export class SmartListsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly selections: SelectionService,
  ) {}

  async list(accountId: AccountId): Promise<SmartList[]> {
    return withTenant(this.db, accountId, async (tx) =>
      (await repo.listSmartLists(tx, accountId)).map(toSmartList),
    );
  }

  async get(accountId: AccountId, id: number): Promise<SmartList> {
    const row = await withTenant(this.db, accountId, (tx) => repo.findSmartList(tx, accountId, id));
    if (!row) throw new AppError('NOT_FOUND', 'SmartList not found');
    return toSmartList(row);
  }

  async create(
    accountId: AccountId,
    userId: number,
    body: { name: string; filter: FilterGroup },
  ): Promise<SmartList> {
    return this.unique(() =>
      withTenant(this.db, accountId, async (tx) => {
        await this.selections.checkFilter(tx, accountId, body.filter);
        return toSmartList(
          await repo.insertSmartList(tx, accountId, { ...body, createdBy: userId, now: this.clock.now() }),
        );
      }),
    );
  }

  async update(
    accountId: AccountId,
    id: number,
    body: { name?: string; filter?: FilterGroup },
  ): Promise<SmartList> {
    const row = await this.unique(() =>
      withTenant(this.db, accountId, async (tx) => {
        if (body.filter) await this.selections.checkFilter(tx, accountId, body.filter);
        return repo.updateSmartList(tx, accountId, id, { ...body, now: this.clock.now() });
      }),
    );
    if (!row) throw new AppError('NOT_FOUND', 'SmartList not found');
    return toSmartList(row);
  }

  /** Dismisses the notes about removed conditions. */
  async dismissNotes(accountId: AccountId, id: number): Promise<SmartList> {
    const row = await withTenant(this.db, accountId, (tx) => repo.clearNotes(tx, accountId, id));
    if (!row) throw new AppError('NOT_FOUND', 'SmartList not found');
    return toSmartList(row);
  }

  /**
   * Deletes a SmartList. Serving as a substitute (a target group) and not `confirm`: 409
   * SUBSTITUTE_IN_USE (details.usage) and nothing is deleted; else its substitute rows go with it.
   */
  async remove(accountId: AccountId, id: number, confirm = false): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      if (!(await repo.deleteSmartList(tx, accountId, id)))
        throw new AppError('NOT_FOUND', 'SmartList not found');
      // After the delete (so an unknown id is 404); a 409 here rolls the delete back.
      await releaseSubstitutes(tx, accountId, 'target_group', id, confirm);
    });
  }

  /** The live count of contacts a filter matches (the preview while building a SmartList). */
  async count(accountId: AccountId, filter: FilterGroup): Promise<number> {
    return withTenant(this.db, accountId, async (tx) =>
      countContacts(
        tx,
        sql`${liveContacts(accountId)} AND ${await this.selections.compile(tx, accountId, filter)}`,
      ),
    );
  }

  /** The live count of a saved SmartList; a stored filter that is no longer valid is a 400 SMART_LIST_INVALID. */
  async countSaved(accountId: AccountId, id: number): Promise<number> {
    return withTenant(this.db, accountId, async (tx) =>
      countContacts(
        tx,
        sql`${liveContacts(accountId)} AND ${await this.selections.compileSmartList(tx, accountId, id)}`,
      ),
    );
  }

  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) !== null) {
        throw new AppError('CONFLICT', 'A SmartList with this name exists', {
          fields: [{ field: 'name', message: 'already taken' }],
        });
      }
      throw err;
    }
  }
}

/**
 * The stored filter as it is when it no longer passes filterGroupSchema (saved before a rule was
 * tightened), so the SmartList can still be listed, opened and fixed; using it answers 400.
 */
function storedFilter(stored: unknown): FilterGroup {
  const parsed = filterGroupSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const s = stored as Partial<FilterGroup> | null;
  return s && typeof s === 'object' && (s.op === 'and' || s.op === 'or') && Array.isArray(s.conditions)
    ? (s as FilterGroup)
    : { op: 'and', conditions: [] };
}

function toSmartList(row: repo.SmartListRow): SmartList {
  return {
    id: String(row.id),
    name: row.name,
    filter: storedFilter(row.filter),
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
    createdBy: row.createdBy === null ? null : String(row.createdBy),
    // Notes are written by the catalogue's deletes only; a malformed entry is dropped, not a 500.
    notes: (Array.isArray(row.repairNotes) ? row.repairNotes : []).flatMap((n) => {
      const note = smartListNoteSchema.safeParse(n);
      return note.success ? [note.data] : [];
    }),
  };
}
