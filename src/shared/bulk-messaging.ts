// Bulk email and bulk SMS: what starting one takes, what its preview answers, and its delivery
// results (from the send ledger). Shared by server (modules/messaging) and web.
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { selectionSchema } from './contacts.ts';
import { channelSchema, messageStatusSchema } from './messaging.ts';
import { idString, safeString } from './primitives.ts';
import { scheduleTimeSchema } from './time-zones.ts';

const numericId = idString();

/** A local time of day, `HH:MM` (24 h), in the account's time zone. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');

/**
 * Drip mode: `batchSize` messages, then a pause of `intervalMinutes`, only on `weekdays` (ISO: 1 =
 * Monday … 7 = Sunday) and between `window.from` and `window.to` in the account's time zone.
 */
export const dripSchema = z
  .object({
    batchSize: z.number().int().min(1).max(1_000_000),
    intervalMinutes: z.number().int().min(1).max(10_080),
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    window: z.object({ from: timeOfDaySchema, to: timeOfDaySchema }).strict().optional(),
  })
  .strict();
export type Drip = z.infer<typeof dripSchema>;

/** Inline email content (instead of a template): subject and HTML; the text part is generated when absent. */
export const inlineEmailSchema = z
  .object({
    subject: safeString().min(1).max(998),
    html: z.string().min(1).max(2_000_000),
    text: z.string().max(2_000_000).optional(),
  })
  .strict();
/** Inline SMS content. */
export const inlineSmsSchema = z.object({ text: z.string().min(1).max(1_600) }).strict();

/** Starting (or previewing) a bulk email or bulk SMS: exactly one of `templateId` and `content`. */
export const messagingSendBodySchema = z
  .object({
    channel: channelSchema,
    selection: selectionSchema,
    name: safeString().trim().min(1).max(300).optional(),
    templateId: numericId.optional(),
    content: z.union([inlineEmailSchema, inlineSmsSchema]).optional(),
    /** Email: the sender profile (absent: the account's default profile). */
    senderProfileId: numericId.optional(),
    /** Later, in the account's time zone when the time has no offset. */
    scheduledFor: scheduleTimeSchema.optional(),
    drip: dripSchema.optional(),
    /** SMS: hold messages during the night (21:00–08:00 in the account's time zone). Default true. */
    quietHours: z.boolean().optional(),
    /** The count the user confirmed in the preview. */
    expectedCount: z.number().int().min(0).max(1_000_000_000).optional(),
    /** Start even though no recipient can receive it (the preview said so). */
    confirmEmpty: z.boolean().optional(),
  })
  .strict();
export type MessagingSendBody = z.infer<typeof messagingSendBodySchema>;

/** Recipients grouped by the reason they would be skipped. */
export const reasonCountSchema = z.object({ reason: z.string(), label: z.string(), count: z.number().int() });

/** What a send would do, before it is confirmed. */
export const messagingPreviewSchema = z.object({
  name: z.string(),
  /** Contacts in the selection. */
  count: z.number().int(),
  /** Of them, the ones that would be sent to. */
  sendable: z.number().int(),
  /** The others, by reason (no consent, no address, invalid address, undeliverable, …). */
  skipped: z.array(reasonCountSchema),
  /** Merge fields the content uses that some sendable recipients lack (their default or nothing applies). */
  missingFields: z.array(z.object({ field: z.string(), count: z.number().int() })),
  /** SMS: per message (of the content as written; merged values may change it). */
  sms: z
    .object({
      encoding: z.enum(['GSM-7', 'UCS-2']),
      characters: z.number().int(),
      segments: z.number().int(),
      /** segments × sendable recipients. */
      totalSegments: z.number().int(),
    })
    .nullable(),
});
export type MessagingPreview = z.infer<typeof messagingPreviewSchema>;

/** The delivery results of a bulk email or SMS, from its send ledger. */
export const deliveryResultsSchema = z.object({
  channel: channelSchema,
  counts: z.record(messageStatusSchema, z.number().int()),
  bounced: z.object({ hard: z.number().int(), soft: z.number().int() }),
  complained: z.number().int(),
  /** Failed, bounced and skipped messages by reason code, with the code's label in the reader's language. */
  reasons: z.array(reasonCountSchema.extend({ status: messageStatusSchema })),
});
export type DeliveryResults = z.infer<typeof deliveryResultsSchema>;

/** One ledger row, as the recipient table shows it. */
export const ledgerMessageSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  address: z.string().nullable(),
  status: messageStatusSchema,
  bounceType: z.enum(['hard', 'soft']).nullable(),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type LedgerMessage = z.infer<typeof ledgerMessageSchema>;

export const messagingParamsSchema = accountParamsSchema;
