import { z } from 'zod';

/**
 * What uses a tag, subscriber list or custom field, and what happens to those users when it is
 * deleted (issue 9 §6). Deleting answers 409 IN_USE with this usage unless confirmed; on confirm,
 * SmartList conditions using it are removed (the SmartList keeps a note) and waiting bulk actions
 * that target it fail once with the reason `target_deleted`. While such an action is running, the
 * delete is refused (409 CONFLICT): pause or cancel it first.
 */

export const REFERENCE_KINDS = ['tag', 'list', 'custom_field'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export const catalogUsageSchema = z.object({
  smartLists: z.array(z.object({ id: z.string(), name: z.string() })),
  bulkActions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.enum(['preparing', 'queued', 'in_progress', 'paused']),
    }),
  ),
  counts: z.object({ smartLists: z.number().int(), bulkActions: z.number().int() }),
});
/** The SmartLists and unfinished bulk actions that use a catalogue entry. */
export type CatalogUsage = z.infer<typeof catalogUsageSchema>;

/** `DELETE …?confirm=true` deletes also when the entry is in use (handling its references). */
export const confirmDeleteQuerySchema = z.object({ confirm: z.enum(['true', 'false']).optional() }).strict();

/** A note on a SmartList: conditions removed because what they used was deleted. */
export const smartListNoteSchema = z.object({
  kind: z.enum(REFERENCE_KINDS),
  /** The deleted entry's name (a custom field's label, with its key in `key`). */
  name: z.string(),
  key: z.string().optional(),
  /** How many conditions were removed. */
  removed: z.number().int(),
  at: z.string(),
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type SmartListNote = z.infer<typeof smartListNoteSchema>;

/** Stable reason codes of a bulk action that failed as a whole (translated in the UI and notifications). */
/**
 * target_deleted: a tag or list it works on was deleted; file_unreadable: an import's file cannot
 * be read (gone, not a CSV); mapping_invalid: an import's mapping no longer fits (a custom field
 * deleted since it started).
 */
export const BULK_FAILURE_REASONS = ['target_deleted', 'file_unreadable', 'mapping_invalid'] as const;
export type BulkFailureReason = (typeof BULK_FAILURE_REASONS)[number];

/** True for a stored action error that is one of the stable reason codes. */
export function isFailureReason(value: unknown): value is BulkFailureReason {
  return typeof value === 'string' && (BULK_FAILURE_REASONS as readonly string[]).includes(value);
}
