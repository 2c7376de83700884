import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { tags } from '../../db/schema.ts';
import type { BulkAction, BulkPreview, CreateBulkActionBody } from '../../../shared/bulk-actions.ts';
import type { Actor } from '../../jobs/types.ts';
import type { BulkActionsService } from '../../engine/actions.service.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { existingTagIds } from './catalog.repo.ts';
import { actionName } from './contact-bulk-names.ts';
import type { ContactSource } from './contact-bulk-types.ts';

/**
 * Starts contact bulk actions (add tag, remove tag, delete) from a selection: the preview the user
 * confirms (exact count, generated name), then the engine's `start`, which answers at once while
 * the selection is frozen in the background.
 */
export class ContactBulkService {
  constructor(
    private readonly db: Db,
    private readonly selections: SelectionService,
    private readonly engine: BulkActionsService,
  ) {}

  /** The count and generated name, for the confirmation before anything is created. */
  async preview(actor: Actor, body: CreateBulkActionBody): Promise<BulkPreview> {
    this.engine.assertMay(actor, null, body.type);
    const accountId = actor.access.accountId;
    const tagName = await this.tagNameFor(accountId, body);
    const { count } = await this.selections.preview(accountId, body.selection, 0);
    return { count, name: actionName(body.type, count, actor.language, { tagName }) };
  }

  /**
   * Creates the action (status `preparing`, total = the count the caller confirmed) after checking
   * the rights, the tag and every id the selection names; the freeze runs in the worker.
   */
  async create(actor: Actor, body: CreateBulkActionBody): Promise<BulkAction> {
    this.engine.assertMay(actor, null, body.type);
    const accountId = actor.access.accountId;
    const tagName = await this.tagNameFor(accountId, body);
    // Refuses foreign or unknown ids, SmartLists and tags now (404/400), not in the background.
    await withTenant(this.db, accountId, (tx) => this.selections.predicate(tx, accountId, body.selection));
    const source: ContactSource = { selection: body.selection };
    return this.engine.start(actor, {
      type: body.type,
      params: body.tagId ? { tagId: body.tagId, ...(tagName === undefined ? {} : { tagName }) } : {},
      source,
      expected: body.expectedCount ?? 0,
      scheduledFor: body.scheduledFor,
      customName: body.name,
      details: { selection: body.selection },
    });
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
}
