import { z } from 'zod';
import { dayOrInstantSchema } from './time-zones.ts';
import { BULK_FAILURE_REASONS } from './references.ts';
import { idString, pageSchema } from './primitives.ts';
import { mailingFailureReasonSchema } from './mailings.ts';
import { distributionReasonSchema, elementKindSchema } from './distribution.ts';

/**
 * The notification catalogue: every event Herald tells users about, with typed parameters.
 * Notifications store these parameters, never rendered text, so the UI and the emails render them
 * in each reader's language (texts in notification-texts.ts).
 */

export const SEVERITIES = ['error', 'warning', 'info', 'success'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

const ref = z.object({ id: z.string().min(1).max(40), name: z.string().min(1).max(300) });

/** What a notification is about; the web turns it into a link (see `subjectPath`). */
export const subjectSchema = z.object({
  kind: z.enum(['mailing', 'ftp_import', 'template', 'bulk_action', 'distribution', 'element_list']),
  id: z.string().min(1).max(40),
});
export type Subject = z.infer<typeof subjectSchema>;

export const FTP_FAILURE_CAUSES = [
  'unreachable',
  'auth_failed',
  'decrypt_failed',
  'unpack_failed',
  'file_missing',
  'parse_failed',
  // The user the source imports as no longer holds the right to import contacts.
  'not_permitted',
] as const;

const elementSchema = ref.extend({ kind: z.enum(['template', 'mailing']) });
/** A distribution either copies an element into other accounts or sets its activation status there. */
const distributionOperation = z.enum(['distribute', 'activate', 'deactivate']);
/** A target's reason as a stable code (rendered translated) and the parts it names (e.g. the missing substitutes). */
const distributionWhy = {
  code: distributionReasonSchema.optional(),
  missing: z
    .array(z.object({ kind: elementKindSchema, name: z.string().max(300) }))
    .max(20)
    .optional(),
};

/** The first shape of `mailing.send_failed` params (one list, one optional target group) → the current one. */
function upgradeSendFailed(value: unknown): unknown {
  if (!value || typeof value !== 'object' || !('subscriberList' in value)) return value;
  const { subscriberList, targetGroup, ...rest } = value as Record<string, unknown>;
  return {
    ...rest,
    subscriberLists: [subscriberList],
    targetGroups: targetGroup ? [targetGroup] : [],
    reason: 'no_recipients',
  };
}

/** Parameter schema per notification type. */
export const notificationParamSchemas = {
  /**
   * A standard mailing reached nobody. Stored notifications of the first shape (one
   * `subscriberList`, an optional `targetGroup`, no reason) are read as this one (`no_recipients`).
   */
  'mailing.send_failed': z.preprocess(
    upgradeSendFailed,
    z.object({
      mailing: ref,
      subscriberLists: z.array(ref).max(100),
      targetGroups: z.array(ref).max(100),
      recipientCount: z.number().int().min(0),
      reason: mailingFailureReasonSchema,
    }),
  ),
  /** Shortly before its slot, a scheduled mailing's audience counted 0 (pre-flight). */
  'mailing.preflight_empty': z.object({
    mailing: ref,
    subscriberLists: z.array(ref).max(100),
    targetGroups: z.array(ref).max(100),
    scheduledFor: z.iso.datetime({ offset: true }),
    recipientCount: z.number().int().min(0),
  }),
  'ftp_import.failed': z.object({
    import: ref,
    cause: z.enum(FTP_FAILURE_CAUSES),
    server: z.string().max(300),
    file: z.string().max(1000),
    detail: z.string().max(2000),
  }),
  'distribution.source_summary': z.object({
    element: elementSchema,
    operation: distributionOperation,
    at: z.iso.datetime({ offset: true }),
    succeeded: z.number().int().min(0),
    failed: z.number().int().min(0),
    /** Targets left as they were because their copy was changed there (locally_modified / kept_local). */
    skipped: z.number().int().min(0).optional(),
    /** The first failures (and skips): `reason` is the English fallback of `code`. */
    failures: z.array(z.object({ account: ref, reason: z.string().max(1000), ...distributionWhy })).max(100),
  }),
  'distribution.target_result': z.object({
    element: elementSchema,
    operation: distributionOperation,
    sourceAccount: ref,
    at: z.iso.datetime({ offset: true }),
    /** For 'distribute': whether the element was created or updated here. */
    outcome: z.enum(['created', 'updated', 'unchanged', 'skipped', 'activated', 'deactivated', 'failed']),
    /** Why it failed or was skipped: English fallback of `code`. */
    reason: z.string().max(1000).nullable(),
    ...distributionWhy,
  }),
  'bulk_action.finished_with_errors': z.object({
    action: ref,
    total: z.number().int().min(0),
    succeeded: z.number().int().min(0),
    failed: z.number().int().min(0),
    skipped: z.number().int().min(0),
  }),
  'bulk_action.failed': z.object({
    action: ref,
    processed: z.number().int().min(0),
    total: z.number().int().min(0),
    error: z.string().max(2000),
    /** A stable reason, rendered translated instead of `error` (e.g. the tag it adds was deleted). */
    reason: z.enum(BULK_FAILURE_REASONS).optional(),
    target: z.object({ kind: z.enum(['tag', 'list']), name: z.string().max(300) }).optional(),
  }),
} as const;

export type NotificationType = keyof typeof notificationParamSchemas;
export const NOTIFICATION_TYPES = Object.keys(notificationParamSchemas) as [
  NotificationType,
  ...NotificationType[],
];
export const notificationTypeSchema = z.enum(NOTIFICATION_TYPES);
export type NotificationParams<T extends NotificationType> = z.infer<(typeof notificationParamSchemas)[T]>;

/** What a producer hands to `notify`: one of the catalogue's events. */
export type NotificationEvent = {
  [T in NotificationType]: {
    type: T;
    params: NotificationParams<T>;
    subject: Subject;
    /** Same key within the grouping window: the existing notification counts up instead of a new one. */
    groupKey?: string;
  };
}[NotificationType];

/** Severity follows from the event (distribution results are errors when anything failed). */
export function severityOf(event: NotificationEvent): Severity {
  switch (event.type) {
    case 'mailing.send_failed':
    case 'ftp_import.failed':
    case 'bulk_action.failed':
      return 'error';
    case 'bulk_action.finished_with_errors':
    case 'mailing.preflight_empty':
      return 'warning';
    case 'distribution.source_summary':
      return event.params.failed > 0 ? 'error' : 'info';
    case 'distribution.target_result':
      return event.params.outcome === 'failed' ? 'error' : 'info';
  }
}

/** The page a notification links to, relative to the web app's root. */
export function subjectPath(accountId: string, subject: Subject): string {
  const base = `/accounts/${accountId}`;
  switch (subject.kind) {
    case 'bulk_action':
      return `${base}/bulk-actions/${subject.id}`;
    case 'mailing':
      return `${base}/mailings/${subject.id}/statistics`;
    case 'template':
      return `${base}/mailings/templates/${subject.id}`;
    case 'ftp_import':
      return `${base}/imports/ftp/${subject.id}`;
    case 'distribution':
      return `${base}/distribution/${subject.id}`;
    // A target's result when there is no copy to open: the list of that kind ('template' | 'mailing').
    case 'element_list':
      return subject.id === 'mailing' ? `${base}/mailings` : `${base}/templates`;
  }
}

// ---- API shapes ----------------------------------------------------------------------------------

export const notificationSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  type: notificationTypeSchema,
  severity: severitySchema,
  params: z.record(z.string(), z.unknown()),
  subject: subjectSchema,
  /** Link into the web app for the subject. */
  path: z.string(),
  /** How many times the event happened in its grouping window (1 = once). */
  occurrences: z.number().int(),
  firstAt: z.string(),
  lastAt: z.string(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof notificationSchema>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v),
    z.array(item).min(1).max(20),
  );

export const notificationListQuerySchema = z
  .object({
    unread: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    type: csv(notificationTypeSchema).optional(),
    severity: csv(severitySchema).optional(),
    /** A calendar day (its start in the account's zone) or an instant. */
    from: dayOrInstantSchema.optional(),
    /** A calendar day (included, to its end in the account's zone) or an instant (excluded). */
    to: dayOrInstantSchema.optional(),
    /** Opaque cursor from the previous page's `nextCursor` (a delivery number within the id range). */
    cursor: idString().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type NotificationListQuery = z.infer<typeof notificationListQuerySchema>;

export const notificationPageSchema = pageSchema(notificationSchema);
export type NotificationPage = z.infer<typeof notificationPageSchema>;

const idList = z.array(idString()).min(1).max(1000);

/** Either the listed ids or every notification of the caller in the account. */
export const notificationSelectionSchema = z.union([
  z.object({ ids: idList }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type NotificationSelection = z.infer<typeof notificationSelectionSchema>;

export const markNotificationsBodySchema = z
  .object({ selection: notificationSelectionSchema, read: z.boolean() })
  .strict();
export type MarkNotificationsBody = z.infer<typeof markNotificationsBodySchema>;

export const deleteNotificationsBodySchema = z.object({ selection: notificationSelectionSchema }).strict();
export type DeleteNotificationsBody = z.infer<typeof deleteNotificationsBodySchema>;

export const changedCountSchema = z.object({ changed: z.number().int(), unread: z.number().int() });

/** Unread counts of the caller, per account where they hold notifications.view. */
export const unreadCountsSchema = z.object({
  total: z.number().int(),
  accounts: z.record(z.string(), z.number().int()),
});
export type UnreadCounts = z.infer<typeof unreadCountsSchema>;

export const unreadCountSchema = z.object({ unread: z.number().int() });

// ---- Email preferences ---------------------------------------------------------------------------

/** Per type: email every notification, only those with severity error, or none. */
export const EMAIL_MODES = ['all', 'errors', 'none'] as const;
export const emailModeSchema = z.enum(EMAIL_MODES);
export type EmailMode = z.infer<typeof emailModeSchema>;

export const emailPreferencesSchema = z.object({
  /** The seed's checkbox "Receive system messages by email": the master switch. */
  enabled: z.boolean(),
  /** Types not listed use 'all'. */
  modes: z.partialRecord(notificationTypeSchema, emailModeSchema),
});
export type EmailPreferences = z.infer<typeof emailPreferencesSchema>;

export const updateEmailPreferencesBodySchema = z
  .object({
    enabled: z.boolean().optional(),
    modes: z.partialRecord(notificationTypeSchema, emailModeSchema).optional(),
  })
  .strict();

export function wantsEmail(prefs: EmailPreferences, type: NotificationType, severity: Severity): boolean {
  if (!prefs.enabled) return false;
  const mode = prefs.modes[type] ?? 'all';
  return mode === 'all' || (mode === 'errors' && severity === 'error');
}

// ---- Outbox (system-message emails of the caller) ------------------------------------------------

export const EMAIL_STATUSES = [
  'pending',
  'queued',
  'sending',
  'retrying',
  'sent',
  'outboxed',
  'failed',
] as const;

export const outboxEmailSchema = z.object({
  id: z.string(),
  notificationId: z.string(),
  to: z.string(),
  subject: z.string().nullable(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  status: z.enum(EMAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxEmail = z.infer<typeof outboxEmailSchema>;
export const outboxPageSchema = z.object({ items: z.array(outboxEmailSchema) });
