// Standard mailings: one email to the members of subscriber lists narrowed by target groups
// (SmartLists), its pre-flight count, its send through the bulk engine, its email statistics
// (ledger, opens, clicks) and the corrected re-send. Shared by server (modules/mailings) and web.
import { z } from 'zod';
import { originSchema } from './distribution.ts';
import { accountParamsSchema } from './accounts.ts';
import { reasonCountSchema } from './bulk-messaging.ts';
import { messageStatusSchema } from './messaging.ts';
import { cursorString, idString, pageSchema, safeString } from './primitives.ts';
import { scheduleTimeSchema } from './time-zones.ts';

const numericId = idString();

/**
 * `draft`: being edited. `scheduled`: handed over, waiting for its slot (or held: `held`).
 * `sending` / `paused`: its bulk_email action runs / is paused. `sent`: ended, reached at least one
 * recipient. `failed`: reached nobody (0 recipients at send time, every message failed, or the
 * send could not start: `failureReason`). `cancelled`: cancelled before or during the send.
 */
export const MAILING_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'sent',
  'failed',
  'cancelled',
] as const;
export const mailingStatusSchema = z.enum(MAILING_STATUSES);
export type MailingStatus = z.infer<typeof mailingStatusSchema>;

/**
 * Why a mailing failed (stable codes; words in en/de in the notification texts and the web):
 * `no_recipients` (0 recipients at send time), `all_failed` (every message failed or bounced),
 * `list_deleted` / `target_group_deleted` / `template_deleted` / `sender_deleted` (a part named by
 * the mailing is gone), `target_group_invalid` (its filter is no longer valid), `not_permitted`
 * (the user who scheduled it lost `messaging.send`), `send_error` (the bulk action failed),
 * `template_inactive` (its template was deactivated after it was scheduled).
 */
export const MAILING_FAILURE_REASONS = [
  'no_recipients',
  'all_failed',
  'list_deleted',
  'target_group_deleted',
  'target_group_invalid',
  'template_deleted',
  'sender_deleted',
  'not_permitted',
  'send_error',
  'template_inactive',
] as const;
export const mailingFailureReasonSchema = z.enum(MAILING_FAILURE_REASONS);
export type MailingFailureReason = z.infer<typeof mailingFailureReasonSchema>;

/** Minutes before a scheduled slot when the pre-flight count is taken (config HERALD_MAILING_PREFLIGHT_MINUTES). */
export const DEFAULT_PREFLIGHT_MINUTES = 15;

const ref = z.object({ id: z.string(), name: z.string() });
/** A list or target group as a mailing names it; `missing` when it was deleted since. */
export const mailingPartRefSchema = ref.extend({ missing: z.boolean() });

/** A mailing as the API answers it. */
export const mailingSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: mailingStatusSchema,
  /** Content: a template (its name) or the mailing's own subject / HTML / text. */
  templateId: z.string().nullable(),
  templateName: z.string().nullable(),
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  senderProfileId: z.string().nullable(),
  lists: z.array(mailingPartRefSchema),
  targetGroups: z.array(mailingPartRefSchema),
  tracking: z.boolean(),
  /** The slot (ISO instant); null: not scheduled, or "now". */
  scheduledFor: z.string().nullable(),
  /** Paused before its slot. */
  held: z.boolean(),
  /** The family's original (its own id for an original) and the mailing this one re-sends. */
  rootId: z.string(),
  resendOf: z.string().nullable(),
  includeFailed: z.boolean(),
  /** The bulk_email action of its send (Bulk Actions page), once started. */
  actionId: z.string().nullable(),
  recipientsAtSend: z.number().int().nullable(),
  failureReason: mailingFailureReasonSchema.nullable(),
  failureDetail: z.string().nullable(),
  /** The last pre-flight count and when it was taken (null before). */
  preflight: z.object({ at: z.string(), count: z.number().int() }).nullable(),
  /** Key figures for the list (from the ledger and tracking): null before the send. */
  figures: z
    .object({
      sent: z.number().int(),
      delivered: z.number().int(),
      bounced: z.number().int(),
      failed: z.number().int(),
      uniqueOpens: z.number().int(),
      uniqueClicks: z.number().int(),
    })
    .nullable(),
  createdBy: z.string().nullable(),
  /** An inactive mailing does not send; a scheduled one is held until activated. */
  active: z.boolean(),
  /** Counts content changes (1 when created). */
  version: z.number().int(),
  /** Set on a copy distributed from an ancestor account. */
  origin: originSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Mailing = z.infer<typeof mailingSchema>;
export const mailingPageSchema = pageSchema(mailingSchema);

const mailingName = safeString().trim().min(1).max(300);
const idList = z.array(numericId).max(100);

/**
 * Creating or editing a mailing (a draft, or a scheduled one before its slot). Everything but the
 * name may be missing in a draft; scheduling checks completeness (400 MAILING_INCOMPLETE naming
 * `content`, `sender`, `audience`). Content: `templateId` (an email template) or own
 * `subject` + `html` (+ `text`), not both.
 */
export const mailingBodySchema = z
  .object({
    name: mailingName,
    templateId: numericId.nullable().optional(),
    subject: safeString().min(1).max(998).nullable().optional(),
    html: z.string().min(1).max(2_000_000).nullable().optional(),
    text: z.string().max(2_000_000).nullable().optional(),
    senderProfileId: numericId.nullable().optional(),
    listIds: idList.optional(),
    targetGroupIds: idList.optional(),
    tracking: z.boolean().optional(),
  })
  .strict();
export type MailingBody = z.infer<typeof mailingBodySchema>;
export const updateMailingBodySchema = mailingBodySchema.partial().strict();
export type UpdateMailingBody = z.infer<typeof updateMailingBodySchema>;

export const mailingParamsSchema = accountParamsSchema.extend({ mailingId: numericId });

export const listMailingsQuerySchema = z
  .object({
    status: z
      .union([mailingStatusSchema, z.array(mailingStatusSchema).max(MAILING_STATUSES.length)])
      .optional()
      .transform((s) => (s === undefined ? undefined : Array.isArray(s) ? s : [s])),
    search: safeString().trim().max(200).optional(),
    cursor: cursorString().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListMailingsQuery = z.infer<typeof listMailingsQuerySchema>;

/**
 * The audience of lists × target groups, step by step: members of any list (distinct contacts),
 * of them those in any target group (all of them when none is chosen), of them those with email
 * consent `subscribed` and a deliverable address, counted once per address (`recipients`).
 * For a re-send also `alreadyReached` (removed) and the final `recipients`.
 */
export const audienceCountSchema = z.object({
  listMembers: z.number().int(),
  inTargetGroups: z.number().int(),
  withConsent: z.number().int(),
  /** Re-sends: of them, those who already got this mailing (original or an earlier re-send). */
  alreadyReached: z.number().int(),
  /** Distinct addresses the send would go to. */
  recipients: z.number().int(),
  /** Parts that are gone or invalid; the count is 0 while any is named here. */
  problems: z.array(
    z.object({ reason: mailingFailureReasonSchema, id: z.string(), name: z.string().nullable() }),
  ),
});
export type AudienceCount = z.infer<typeof audienceCountSchema>;

/** Counting an audience that is not saved yet (the editor's live count). */
export const audienceQueryBodySchema = z
  .object({
    listIds: idList,
    targetGroupIds: idList,
    /** Count for a re-send in this mailing's family (excluding the reached). */
    resendOf: numericId.optional(),
    includeFailed: z.boolean().optional(),
  })
  .strict();
export type AudienceQueryBody = z.infer<typeof audienceQueryBodySchema>;

/**
 * Scheduling (or sending now, without `scheduledFor`): `expectedCount` is the count the user saw;
 * `confirmEmpty` is required when the audience is 0 right now (else 400 NO_RECIPIENTS with the count).
 */
export const scheduleMailingBodySchema = z
  .object({
    scheduledFor: scheduleTimeSchema.optional(),
    expectedCount: z.number().int().min(0).max(1_000_000_000).optional(),
    confirmEmpty: z.boolean().optional(),
  })
  .strict();
export type ScheduleMailingBody = z.infer<typeof scheduleMailingBodySchema>;

export const rescheduleMailingBodySchema = z.object({ scheduledFor: scheduleTimeSchema }).strict();

/**
 * A corrected re-send: a new draft in the family with the source's content and audience, changed
 * by whatever is given here. It goes only to whom the family has not reached; `includeFailed` also
 * to those whose send failed or soft-bounced.
 */
export const resendMailingBodySchema = mailingBodySchema
  .partial()
  .extend({ includeFailed: z.boolean().optional() })
  .strict();
export type ResendMailingBody = z.infer<typeof resendMailingBodySchema>;

// ---- statistics --------------------------------------------------------------------------------

/** Recipient states for the statistics' table and CSV export (ledger states plus tracking). */
export const RECIPIENT_FILTERS = [
  ...messageStatusSchema.options,
  'opened',
  'clicked',
  'unsubscribed',
] as const;
export const recipientFilterSchema = z.enum(RECIPIENT_FILTERS);
export type RecipientFilter = z.infer<typeof recipientFilterSchema>;

/** The email statistics of one mailing. */
export const mailingStatisticsSchema = z.object({
  mailingId: z.string(),
  status: mailingStatusSchema,
  recipientsAtSend: z.number().int().nullable(),
  counts: z.record(messageStatusSchema, z.number().int()),
  bounced: z.object({ hard: z.number().int(), soft: z.number().int() }),
  complained: z.number().int(),
  unsubscribed: z.number().int(),
  /** Failed, bounced and skipped by reason, labelled in the reader's language. */
  reasons: z.array(reasonCountSchema.extend({ status: messageStatusSchema })),
  tracking: z.boolean(),
  /** Recipients who opened at least once / all opens (image proxies inflate both: shown as such). */
  opens: z.object({ unique: z.number().int(), total: z.number().int() }),
  clicks: z.object({
    unique: z.number().int(),
    total: z.number().int(),
    links: z.array(z.object({ url: z.string(), unique: z.number().int(), total: z.number().int() })),
  }),
  /** Per hour since the send started (ISO instant of the hour): sent, delivered, bounced, opens, clicks. */
  timeline: z.array(
    z.object({
      at: z.string(),
      sent: z.number().int(),
      delivered: z.number().int(),
      bounced: z.number().int(),
      opens: z.number().int(),
      clicks: z.number().int(),
    }),
  ),
  /** The family: reached by the original and every re-send together, and its mailings. */
  family: z.object({
    reached: z.number().int(),
    mailings: z.array(z.object({ id: z.string(), name: z.string(), status: mailingStatusSchema })),
  }),
});
export type MailingStatistics = z.infer<typeof mailingStatisticsSchema>;

export const mailingRecipientsQuerySchema = z
  .object({
    state: recipientFilterSchema.optional(),
    cursor: cursorString().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type MailingRecipientsQuery = z.infer<typeof mailingRecipientsQuerySchema>;

/** One recipient row of the statistics table. */
export const mailingRecipientSchema = z.object({
  messageId: z.string(),
  contactId: z.string(),
  address: z.string().nullable(),
  status: messageStatusSchema,
  bounceType: z.enum(['hard', 'soft']).nullable(),
  reason: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  clicks: z.number().int(),
  unsubscribed: z.boolean(),
});
export type MailingRecipient = z.infer<typeof mailingRecipientSchema>;
export const mailingRecipientPageSchema = pageSchema(mailingRecipientSchema);

export const mailingExportQuerySchema = z.object({ state: recipientFilterSchema.optional() }).strict();
