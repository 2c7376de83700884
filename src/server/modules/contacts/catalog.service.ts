import type { Db, Tx } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { isoTime } from '../../db/types.ts';
import {
  filterGroupSchema,
  type CustomField,
  type CustomFieldType,
  type SubscriberList,
  type Tag,
} from '../../../shared/contacts.ts';
import type { CatalogUsage, ReferenceKind, SmartListNote } from '../../../shared/references.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { actionsTargetingTag } from './contact-bulk-targets.ts';
import { failWithReason } from '../../engine/failures.ts';
import { withoutReference, type FilterReference } from '../smart-lists/filter-references.ts';
import { repairSmartList, smartListsUsing } from '../smart-lists/smart-lists.repo.ts';
import { releaseSubstitutes, substituteUsage } from '../substitutes/substitute-usage.ts';
import * as repo from './catalog.repo.ts';

/** Who deletes, and whether they confirmed after seeing what uses the entry. */
export interface DeleteOptions {
  confirm: boolean;
  userId: number;
}

const NOT_FOUND: Record<ReferenceKind, string> = {
  tag: 'Tag not found',
  list: 'Subscriber list not found',
  custom_field: 'Custom field not found',
};

/** Tags, subscriber lists and custom field definitions of one account. */
export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
  ) {}

  async listTags(accountId: AccountId): Promise<Tag[]> {
    return withTenant(this.db, accountId, async (tx) => (await repo.listTags(tx, accountId)).map(toTag));
  }
  async createTag(accountId: AccountId, body: { name: string; color?: string | null }): Promise<Tag> {
    return this.unique('name', 'A tag with this name exists', () =>
      withTenant(this.db, accountId, async (tx) => toTag(await repo.insertTag(tx, accountId, body))),
    );
  }
  async updateTag(
    accountId: AccountId,
    id: number,
    body: { name: string; color?: string | null },
  ): Promise<Tag> {
    const row = await this.unique('name', 'A tag with this name exists', () =>
      withTenant(this.db, accountId, (tx) => repo.updateTag(tx, accountId, id, body)),
    );
    if (!row) throw new AppError('NOT_FOUND', 'Tag not found');
    return toTag(row);
  }
  async deleteTag(accountId: AccountId, id: number, opts: DeleteOptions): Promise<void> {
    await this.deleteEntry(accountId, 'tag', id, opts, (tx) => repo.deleteTag(tx, accountId, id));
  }

  async listLists(accountId: AccountId): Promise<SubscriberList[]> {
    return withTenant(this.db, accountId, async (tx) => (await repo.listLists(tx, accountId)).map(toList));
  }
  async createList(
    accountId: AccountId,
    body: { name: string; description?: string | null },
  ): Promise<SubscriberList> {
    return this.unique('name', 'A subscriber list with this name exists', () =>
      withTenant(this.db, accountId, async (tx) => toList(await repo.insertList(tx, accountId, body))),
    );
  }
  async updateList(
    accountId: AccountId,
    id: number,
    body: { name: string; description?: string | null },
  ): Promise<SubscriberList> {
    const row = await this.unique('name', 'A subscriber list with this name exists', () =>
      withTenant(this.db, accountId, (tx) => repo.updateList(tx, accountId, id, body)),
    );
    if (!row) throw new AppError('NOT_FOUND', 'Subscriber list not found');
    return toList(row);
  }
  /**
   * Deletes a subscriber list (see deleteEntry); serving as a substitute and unconfirmed it is 409
   * SUBSTITUTE_IN_USE (details.usage), else its substitute rows go with it.
   */
  async deleteList(accountId: AccountId, id: number, opts: DeleteOptions): Promise<void> {
    await this.deleteEntry(accountId, 'list', id, opts, async (tx) => {
      if (!(await repo.deleteList(tx, accountId, id))) return false;
      // Thrown here, the 409 rolls the whole delete back (repairs and failed actions included).
      await releaseSubstitutes(tx, accountId, 'subscriber_list', id, opts.confirm);
      return true;
    });
  }

  async listFields(accountId: AccountId): Promise<CustomField[]> {
    return withTenant(this.db, accountId, async (tx) => (await repo.listFields(tx, accountId)).map(toField));
  }
  async createField(
    accountId: AccountId,
    body: { key: string; label: string; type: CustomFieldType },
  ): Promise<CustomField> {
    return this.unique('key', 'A custom field with this key exists', () =>
      withTenant(this.db, accountId, async (tx) => toField(await repo.insertField(tx, accountId, body))),
    );
  }
  async updateField(accountId: AccountId, id: number, label: string): Promise<CustomField> {
    const row = await withTenant(this.db, accountId, (tx) => repo.updateField(tx, accountId, id, label));
    if (!row) throw new AppError('NOT_FOUND', 'Custom field not found');
    return toField(row);
  }
  async deleteField(accountId: AccountId, id: number, opts: DeleteOptions): Promise<void> {
    await this.deleteEntry(accountId, 'custom_field', id, opts, (tx) => repo.deleteField(tx, accountId, id));
  }

  /** What uses a tag, list or custom field: SmartLists and unfinished bulk actions (count and names). */
  async usage(accountId: AccountId, kind: ReferenceKind, id: number): Promise<CatalogUsage> {
    return withTenant(this.db, accountId, async (tx) => {
      const entry = await repo.findEntry(tx, accountId, kind, id, false);
      if (!entry) throw new AppError('NOT_FOUND', NOT_FOUND[kind]);
      return (await this.usageOf(tx, accountId, kind, id, entry, false)).usage;
    });
  }

  /**
   * Deletes an entry and handles what refers to it, in one transaction: unconfirmed and in use →
   * 409 IN_USE with the usage (a list: with `substituteUsage`, since the confirm covers it too); an action using it is running → 409 CONFLICT (pause or cancel it
   * first: its chunks would otherwise meet a vanished tag mid-run); else SmartList conditions
   * using it are removed (with a note on the SmartList) and waiting actions fail with
   * `target_deleted`. Action rows are locked before the entry, the order a running chunk takes
   * them in (its action row, then the tag), so the two never deadlock.
   */
  private async deleteEntry(
    accountId: AccountId,
    kind: ReferenceKind,
    id: number,
    opts: DeleteOptions,
    remove: (tx: Tx) => Promise<boolean>,
  ): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      const actions = kind === 'tag' ? await actionsTargetingTag(tx, accountId, id, true) : [];
      const entry = await repo.findEntry(tx, accountId, kind, id, true);
      if (!entry) throw new AppError('NOT_FOUND', NOT_FOUND[kind]);
      const { usage, lists, ref } = await this.usageOf(tx, accountId, kind, id, entry, true, actions);
      if (!opts.confirm && (usage.counts.smartLists > 0 || usage.counts.bulkActions > 0))
        throw new AppError(
          'IN_USE',
          `Used by ${usage.counts.smartLists} SmartList(s) and ${usage.counts.bulkActions} bulk action(s)`,
          // A list's confirm also passes its substitute warning: this one warning names that use too.
          kind === 'list'
            ? { ...usage, substituteUsage: await substituteUsage(tx, accountId, 'subscriber_list', id) }
            : usage,
        );
      const running = usage.bulkActions.filter((a) => a.status === 'in_progress');
      if (running.length > 0)
        throw new AppError('CONFLICT', 'A bulk action using this is running; pause or cancel it first', {
          bulkActions: running,
        });
      const now = this.clock.now();
      const byName = await repo.userName(tx, opts.userId);
      for (const list of lists) {
        const parsed = filterGroupSchema.safeParse(list.filter);
        // A stored filter that no longer parses is left as it is: using it answers a clear 400.
        if (!parsed.success) continue;
        const { filter, removed } = withoutReference(parsed.data, ref);
        const note: SmartListNote = {
          kind,
          name: entry.name,
          ...(entry.key ? { key: entry.key } : {}),
          removed,
          at: now.toISOString(),
          by: byName === null ? null : { id: String(opts.userId), name: byName },
        };
        await repairSmartList(tx, accountId, list.id, filter, note, now);
      }
      for (const action of actions)
        await failWithReason(tx, this.notifier, accountId, action, 'target_deleted', now, {
          kind: 'tag',
          name: entry.name,
        });
      if (!(await remove(tx))) throw new AppError('NOT_FOUND', NOT_FOUND[kind]);
    });
  }

  private async usageOf(
    tx: Tx,
    accountId: AccountId,
    kind: ReferenceKind,
    id: number,
    entry: { name: string; key?: string },
    lock: boolean,
    lockedActions?: Awaited<ReturnType<typeof actionsTargetingTag>>,
  ) {
    const ref: FilterReference =
      kind === 'custom_field' ? { kind, key: entry.key ?? '' } : { kind, id: String(id) };
    const lists = await smartListsUsing(tx, accountId, ref, lock);
    const actions =
      lockedActions ?? (kind === 'tag' ? await actionsTargetingTag(tx, accountId, id, false) : []);
    const usage: CatalogUsage = {
      smartLists: lists.map((l) => ({ id: String(l.id), name: l.name })),
      bulkActions: actions.map((a) => ({ id: String(a.id), name: a.name, status: a.status })),
      counts: { smartLists: lists.length, bulkActions: actions.length },
    };
    return { usage, lists, ref };
  }

  private async unique<T>(field: string, message: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) !== null)
        throw new AppError('CONFLICT', message, { fields: [{ field, message: 'already taken' }] });
      throw err;
    }
  }
}

function toTag(row: repo.TagRow & { contactCount?: number }): Tag {
  return {
    id: String(row.id),
    name: row.name,
    color: row.color,
    contactCount: row.contactCount,
    createdAt: isoTime(row.createdAt),
  };
}
function toList(row: repo.ListRow & { memberCount?: number }): SubscriberList {
  return {
    id: String(row.id),
    name: row.name,
    description: row.description,
    memberCount: row.memberCount,
    createdAt: isoTime(row.createdAt),
  };
}
function toField(row: repo.FieldRow): CustomField {
  return {
    id: String(row.id),
    key: row.key,
    label: row.label,
    type: row.type,
    createdAt: isoTime(row.createdAt),
  };
}
