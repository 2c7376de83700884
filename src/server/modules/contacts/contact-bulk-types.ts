// The contact bulk action types, registered with the engine: add tag, remove tag, delete and
// restore. Their items are contact ids: from a selection (`source: { selection }`), or for a
// restore the contacts its delete job recorded.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { BulkTypeRegistry, BulkTypeSpec } from '../../engine/registry.ts';
import { asAccountId, type AccountId } from '../../db/tenant.ts';
import type { Queryable } from '../../db/types.ts';
import {
  bulkParamsSchema,
  CONTROLS_BY_TYPE,
  RIGHTS_BY_TYPE,
  type BulkParams,
} from '../../../shared/bulk-actions.ts';
import { selectionSchema } from '../../../shared/contacts.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { actionName } from './contact-bulk-names.ts';
import { CONTACT_REASONS } from './contact-bulk-reasons.ts';
import {
  countDeletedRecords,
  deletedRecordItems,
  deleteChunk,
  maxContactId,
  openRestoreWindow,
  restoreChunk,
  tagChunk,
} from './contact-bulk-chunks.ts';

/** What a contact action started from Contacts or a SmartList stores as its item source. */
export const contactSourceSchema = z.object({ selection: selectionSchema });
export type ContactSource = z.infer<typeof contactSourceSchema>;

/** The contact types, registered by `services.ts` with the selection service they read from. */
export function registerContactBulkTypes(registry: BulkTypeRegistry, selections: SelectionService): void {
  /** A selection's contacts, by id, as the engine freezes them. */
  const fromSelection = async (q: Queryable, action: { accountId: number }, source: unknown) => {
    const { selection } = contactSourceSchema.parse(source);
    const accountId: AccountId = asAccountId(action.accountId);
    const where = await selections.predicate(q, accountId, selection);
    return (after: number, limit: number) =>
      sql`SELECT c.id, c.id AS key FROM contacts c WHERE ${where} AND c.id > ${after} ORDER BY c.id LIMIT ${limit}`;
  };
  const same = (_source: unknown, params: BulkParams, ctx: { sourceName: string }) => ({
    ...params,
    // A retry or undo of a restore still names the delete job it restores.
    sourceName: params.sourceName ?? ctx.sourceName,
  });
  const common = {
    params: bulkParamsSchema,
    items: fromSelection,
    maxSubject: maxContactId,
    // One catalog for the four: each type's chunk uses some of its codes.
    reasons: CONTACT_REASONS,
  } satisfies Partial<BulkTypeSpec<BulkParams>>;

  registry.register<BulkParams>({
    ...common,
    type: 'add_tag',
    controls: CONTROLS_BY_TYPE.add_tag,
    rights: RIGHTS_BY_TYPE.add_tag,
    chunk: tagChunk('add'),
    derive: {
      retry_failed: { type: 'add_tag', params: (_s, p) => ({ ...p }) },
      undo: { type: 'remove_tag', params: (_s, p) => ({ ...p }) },
    },
    name: (lang, n, p) => actionName('add_tag', n, lang, p),
  });
  registry.register<BulkParams>({
    ...common,
    type: 'remove_tag',
    controls: CONTROLS_BY_TYPE.remove_tag,
    rights: RIGHTS_BY_TYPE.remove_tag,
    chunk: tagChunk('remove'),
    derive: {
      retry_failed: { type: 'remove_tag', params: (_s, p) => ({ ...p }) },
      undo: { type: 'add_tag', params: (_s, p) => ({ ...p }) },
    },
    name: (lang, n, p) => actionName('remove_tag', n, lang, p),
  });
  registry.register<BulkParams>({
    ...common,
    type: 'delete_contacts',
    controls: CONTROLS_BY_TYPE.delete_contacts,
    rights: RIGHTS_BY_TYPE.delete_contacts,
    chunk: deleteChunk,
    derive: {
      retry_failed: { type: 'delete_contacts', params: (_s, p) => ({ ...p }) },
      restore: {
        type: 'restore_contacts',
        params: (source, _p, ctx) => ({ sourceActionId: String(source.id), sourceName: ctx.sourceName }),
        items: (source) => deletedRecordItems(source),
        count: (q, source) => countDeletedRecords(q, source.accountId, source.id),
      },
    },
    name: (lang, n, p) => actionName('delete_contacts', n, lang, p),
    onEnded: (q, action, now) => openRestoreWindow(q, action.id, now),
  });
  registry.register<BulkParams>({
    ...common,
    type: 'restore_contacts',
    controls: CONTROLS_BY_TYPE.restore_contacts,
    rights: RIGHTS_BY_TYPE.restore_contacts,
    chunk: restoreChunk,
    // Its conflict probes read live contacts, whose number grows from none while it runs.
    statistics: ['contacts'],
    derive: { retry_failed: { type: 'restore_contacts', params: same } },
    name: (lang, n, p) => actionName('restore_contacts', n, lang, p),
  });
}
