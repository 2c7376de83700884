import { z } from 'zod';
import { dayOrInstantSchema, scheduleTimeSchema } from './time-zones.ts';
import { cursorString, idString, pageSchema, safeString } from './primitives.ts';
import { accountParamsSchema } from './accounts.ts';
import { languageSchema } from './auth.ts';
import { selectionSchema } from './contacts.ts';
import type { Right } from './rights.ts';

const numericId = idString();

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

/**
 * `preparing`: created, its selection is being frozen in the background (`prepared` counts the
 * items frozen so far, `total` is the count the creator confirmed until the freeze ends).
 */
export const BULK_STATUSES = [
  'preparing',
  'queued',
  'in_progress',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export const bulkStatusSchema = z.enum(BULK_STATUSES);
export type BulkStatus = z.infer<typeof bulkStatusSchema>;

/**
 * The states users see and filter by: the stored status, with "completed" split in two so that
 * an action whose items failed (a restore that restored nothing) does not look like a success.
 * Derived from status and the failed counter, never stored.
 */
export const BULK_DISPLAY_STATUSES = [
  'preparing',
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
  preparing: 'cyan',
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
  import: ['cancel', 'undo'],
  bulk_email: ['pause', 'resume', 'cancel', 'edit_schedule', 'retry_failed'],
  bulk_sms: ['pause', 'resume', 'cancel', 'edit_schedule', 'retry_failed'],
};

/**
 * The rights a change of each type needs. Every decision about an action asks this table for the
 * type of the change being made: starting one, controlling one (pause, cancel, rename …: the
 * action's own type) and deriving one (undo, retry failed, restore: the type of the NEW action).
 */
export const RIGHTS_BY_TYPE: Record<BulkType, readonly Right[]> = {
  add_tag: ['contacts.bulk'],
  remove_tag: ['contacts.bulk'],
  delete_contacts: ['contacts.bulk', 'contacts.delete'],
  restore_contacts: ['contacts.restore'],
  import: ['contacts.import'],
  bulk_email: ['messaging.send'],
  bulk_sms: ['messaging.send'],
};

/** Controls that create a new action from an existing one; at most one of each is in flight per source. */
export const DERIVING_CONTROLS = ['restore', 'retry_failed', 'undo'] as const;
export type DerivingControl = (typeof DERIVING_CONTROLS)[number];

/** The type of the action a deriving control creates from an action of `type`. */
export function derivedType(control: DerivingControl, type: BulkType): BulkType {
  switch (control) {
    case 'restore':
      return 'restore_contacts';
    case 'retry_failed':
      return type;
    case 'undo':
      // Undoing an import deletes the contacts it created.
      return type === 'add_tag'
        ? 'remove_tag'
        : type === 'remove_tag'
          ? 'add_tag'
          : type === 'import'
            ? 'delete_contacts'
            : type;
  }
}

/**
 * The type of change `control` (null: rename) on an action of `type` makes: a deriving control
 * makes a change of the derived type; pause, resume, cancel, schedule and rename change the action
 * itself.
 */
export function changeTypeOf(control: BulkControl | null, type: BulkType): BulkType {
  return control !== null && (DERIVING_CONTROLS as readonly string[]).includes(control)
    ? derivedType(control as DerivingControl, type)
    : type;
}

/** The rights `control` (null: rename) on an action of `type` needs, now. */
export const rightsFor = (control: BulkControl | null, type: BulkType): readonly Right[] =>
  RIGHTS_BY_TYPE[changeTypeOf(control, type)];

/** Days a delete job stays restorable. */
export const RESTORE_WINDOW_DAYS = 60;

export const bulkParamsSchema = z.object({
  tagId: numericId.optional(),
  tagName: z.string().optional(),
  sourceActionId: numericId.optional(),
  /** For restores: the delete job's name when the restore was created (for generated names). */
  sourceName: z.string().optional(),
  /** Imports: the file's name, its upload, and whether it is a dry run. */
  fileName: z.string().optional(),
  uploadId: z.string().optional(),
  dryRun: z.boolean().optional(),
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
  /** While `preparing`: the count confirmed at creation; afterwards the frozen snapshot's size. */
  total: z.number().int(),
  /** Items frozen so far (equals `total` once the action left `preparing`). */
  prepared: z.number().int(),
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
    name: safeString().trim().min(1).max(300).optional(),
    scheduledFor: scheduleTimeSchema.optional(),
    /** The count the user confirmed in the preview: the action's total while its selection is frozen. */
    expectedCount: z.number().int().min(0).max(1_000_000_000).optional(),
  })
  .strict();
export type CreateBulkActionBody = z.infer<typeof createBulkActionBodySchema>;

/**
 * Headers of a create: an optional `Idempotency-Key` (printable ASCII, up to 255 characters) that
 * makes repeating the request safe. Other headers pass through untouched.
 */
export const idempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'printable ASCII, 1 to 255 characters')
    .optional()
    .describe('Repeats within 24 hours answer with the first answer instead of acting twice'),
});

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
    /** A calendar day (its start in the account's zone) or an instant. */
    from: dayOrInstantSchema.optional(),
    /** A calendar day (included, to its end in the account's zone) or an instant (excluded). */
    to: dayOrInstantSchema.optional(),
    cursor: cursorString().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListBulkActionsQuery = z.infer<typeof listBulkActionsQuerySchema>;

export const bulkActionPageSchema = pageSchema(bulkActionSchema);
export type BulkActionPage = z.infer<typeof bulkActionPageSchema>;

/** What a restore would bring back, for its confirmation. */
export const restorePreviewSchema = z.object({ count: z.number().int(), restorableUntil: z.string() });
export type RestorePreview = z.infer<typeof restorePreviewSchema>;

/** The error log's language; without it the user's language setting applies. */
export const errorsCsvQuerySchema = z.object({ lang: languageSchema.optional() }).strict();

export const editScheduleBodySchema = z.object({ scheduledFor: scheduleTimeSchema }).strict();
export const renameBodySchema = z.object({ name: safeString().trim().min(1).max(300) }).strict();

export const bulkStatsSchema = z.object({
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  durationMs: z.number().nullable(),
  throughputPerSecond: z.number().nullable(),
  /** Failed and skipped items grouped by reason code, with the code's label in the reader's language. */
  reasons: z.array(
    z.object({
      outcome: z.enum(['failed', 'skipped']),
      reason: z.string(),
      label: z.string(),
      count: z.number().int(),
    }),
  ),
});
export type BulkStats = z.infer<typeof bulkStatsSchema>;

/** The language of the stats' reason labels; without it the user's language setting applies. */
export const bulkStatsQuerySchema = z.object({ lang: languageSchema.optional() }).strict();

export const auditEntrySchema = z.object({
  at: z.string(),
  event: z.string(),
  user: z.object({ id: z.string(), name: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const auditListSchema = z.object({ items: z.array(auditEntrySchema) });

/** What the live stream sends: the changed action (same shape as the list rows). */
export const bulkEventSchema = bulkActionSchema;
