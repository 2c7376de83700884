import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { languageSchema } from './auth.ts';
import { selectionSchema } from './contacts.ts';

const numericId = z.string().regex(/^\d{1,15}$/, 'must be a numeric id');

export const BULK_TYPES = [
  'add_tag',
  'remove_tag',
  'delete_contacts',
  'restore_contacts',
  'import',
  'bulk_email',
  'bulk_sms',
] as const;
export const bulkTypeSchema = z.enum(BULK_TYPES);
export type BulkType = z.infer<typeof bulkTypeSchema>;

/** Types users can start from a selection today (import and messaging arrive later on the same engine). */
export const STARTABLE_TYPES = ['add_tag', 'remove_tag', 'delete_contacts'] as const;
export type StartableType = (typeof STARTABLE_TYPES)[number];

export const BULK_STATUSES = ['queued', 'in_progress', 'paused', 'completed', 'cancelled', 'failed'] as const;
export const bulkStatusSchema = z.enum(BULK_STATUSES);
export type BulkStatus = z.infer<typeof bulkStatusSchema>;

/**
 * The states users see and filter by: the stored status, with "completed" split in two so that
 * an action whose items failed (a restore that restored nothing) does not look like a success.
 * Derived from status and the failed counter, never stored.
 */
export const BULK_DISPLAY_STATUSES = [
  'queued',
  'in_progress',
  'paused',
  'completed',
  'completed_with_errors',
  'cancelled',
  'failed',
] as const;
export const bulkDisplayStatusSchema = z.enum(BULK_DISPLAY_STATUSES);
export type BulkDisplayStatus = z.infer<typeof bulkDisplayStatusSchema>;

/** The state shown for an action: "completed" with at least one failed item is "completed_with_errors". */
export function displayStatus(action: { status: BulkStatus; failed: number }): BulkDisplayStatus {
  return action.status === 'completed' && action.failed > 0 ? 'completed_with_errors' : action.status;
}

/** Badge colour per shown state (Mantine colour names). */
export const STATUS_COLORS: Record<BulkDisplayStatus, string> = {
  queued: 'gray',
  in_progress: 'blue',
  paused: 'yellow',
  completed: 'green',
  completed_with_errors: 'orange',
  cancelled: 'dark',
  failed: 'red',
};

export const BULK_CONTROLS = [
  'pause',
  'resume',
  'cancel',
  'edit_schedule',
  'restore',
  'retry_failed',
  'undo',
] as const;
export type BulkControl = (typeof BULK_CONTROLS)[number];

/**
 * Which controls each type offers at all; whether a control applies right now also depends on the
 * action's status (see `allowedControls`). Messaging types will pause, resume and reschedule.
 */
export const CONTROLS_BY_TYPE: Record<BulkType, readonly BulkControl[]> = {
  add_tag: ['cancel', 'retry_failed', 'undo'],
  remove_tag: ['cancel', 'retry_failed', 'undo'],
  delete_contacts: ['cancel', 'restore', 'retry_failed'],
  restore_contacts: ['cancel', 'retry_failed'],
  import: ['cancel'],
  bulk_email: ['pause', 'resume', 'cancel', 'edit_schedule', 'retry_failed'],
  bulk_sms: ['pause', 'resume', 'cancel', 'edit_schedule', 'retry_failed'],
};

/** Days a delete job stays restorable. */
export const RESTORE_WINDOW_DAYS = 60;

export const bulkParamsSchema = z.object({
  tagId: numericId.optional(),
  tagName: z.string().optional(),
  sourceActionId: numericId.optional(),
});
export type BulkParams = z.infer<typeof bulkParamsSchema>;

export const bulkActionSchema = z.object({
  id: z.string(),
  type: bulkTypeSchema,
  name: z.string(),
  status: bulkStatusSchema,
  params: bulkParamsSchema,
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  scheduledFor: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  error: z.string().nullable(),
  /** The action this one restores, retries or undoes. */
  sourceActionId: z.string().nullable(),
  /** Until when a delete job can be restored; null when it cannot (any more). */
  restorableUntil: z.string().nullable(),
  purgedAt: z.string().nullable(),
  /** Controls the caller may use on this action now. */
  controls: z.array(z.enum(BULK_CONTROLS)),
});
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const createBulkActionBodySchema = z
  .object({
    type: z.enum(STARTABLE_TYPES),
    selection: selectionSchema,
    tagId: numericId.optional(),
    name: z.string().trim().min(1).max(300).optional(),
    scheduledFor: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type CreateBulkActionBody = z.infer<typeof createBulkActionBodySchema>;

export const bulkPreviewSchema = z.object({ count: z.number().int(), name: z.string() });
export type BulkPreview = z.infer<typeof bulkPreviewSchema>;

export const bulkActionParamsSchema = accountParamsSchema.extend({ actionId: numericId });

export const listBulkActionsQuerySchema = z
  .object({
    /** Shown states: `completed` matches actions without failed items, `completed_with_errors` the others. */
    status: z
      .union([bulkDisplayStatusSchema, z.array(bulkDisplayStatusSchema)])
      .optional()
      .transform((v) => (v === undefined ? undefined : [v].flat())),
    type: z
      .union([bulkTypeSchema, z.array(bulkTypeSchema)])
      .optional()
      .transform((v) => (v === undefined ? undefined : [v].flat())),
    createdBy: numericId.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListBulkActionsQuery = z.infer<typeof listBulkActionsQuerySchema>;

export const bulkActionPageSchema = z.object({
  items: z.array(bulkActionSchema),
  nextCursor: z.string().nullable(),
});
export type BulkActionPage = z.infer<typeof bulkActionPageSchema>;

/** What a restore would bring back, for its confirmation. */
export const restorePreviewSchema = z.object({ count: z.number().int(), restorableUntil: z.string() });
export type RestorePreview = z.infer<typeof restorePreviewSchema>;

/** The error log's language; without it the user's language setting applies. */
export const errorsCsvQuerySchema = z.object({ lang: languageSchema.optional() }).strict();

export const editScheduleBodySchema = z.object({ scheduledFor: z.iso.datetime({ offset: true }) }).strict();
export const renameBodySchema = z.object({ name: z.string().trim().min(1).max(300) }).strict();

export const bulkStatsSchema = z.object({
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  durationMs: z.number().nullable(),
  throughputPerSecond: z.number().nullable(),
  reasons: z.array(
    z.object({ outcome: z.enum(['failed', 'skipped']), reason: z.string(), count: z.number().int() }),
  ),
});
export type BulkStats = z.infer<typeof bulkStatsSchema>;

export const auditEntrySchema = z.object({
  at: z.string(),
  event: z.string(),
  user: z.object({ id: z.string(), name: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const auditListSchema = z.object({ items: z.array(auditEntrySchema) });

/** What the live stream sends: the changed action (same shape as the list rows). */
export const bulkEventSchema = bulkActionSchema;

/** Stable reason codes for failed and skipped items (translated in the UI, plain in the CSV). */
export const ITEM_REASONS = [
  'contact_deleted',
  'already_tagged',
  'not_tagged',
  'already_deleted',
  'already_live',
  'email_in_use',
  'phone_in_use',
  'purged',
] as const;
export type ItemReason = (typeof ITEM_REASONS)[number];
