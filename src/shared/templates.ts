// Message templates per account (email: subject, HTML, optional text part; SMS: text), the merge
// fields they may use, and the preview. Shared by server (modules/templates) and web.
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { selectionSchema } from './contacts.ts';
import { channelSchema } from './messaging.ts';
import { originSchema } from './distribution.ts';
import { cursorString, idString, pageSchema, safeString } from './primitives.ts';

const numericId = idString();

/** Standard contact fields a template can merge. */
export const STANDARD_MERGE_FIELDS = ['first_name', 'last_name', 'email', 'phone'] as const;
/** Fields Herald fills in at send time. `unsubscribe_url` exists only in email. */
export const SYSTEM_MERGE_FIELDS = ['unsubscribe_url', 'account_name'] as const;

/** One entry of the merge-field catalog (the editor's "insert field" menu). */
export const mergeFieldSchema = z.object({
  /** The name used in a template: `{{ key }}`. */
  key: z.string(),
  kind: z.enum(['standard', 'custom', 'system']),
  /** Custom fields: their label in the catalog; null for standard and system fields (the UI translates). */
  label: z.string().nullable(),
  type: z.enum(['text', 'number', 'date', 'boolean']),
  /** The channels it works in. */
  channels: z.array(channelSchema),
});
export type MergeField = z.infer<typeof mergeFieldSchema>;

/** Length limits of the parts (an email subject line is at most 998 characters, RFC 5322). */
export const TEMPLATE_LIMITS = { name: 200, subject: 998, html: 2_000_000, text: 2_000_000, sms: 1_600 };

const templateName = safeString().trim().min(1).max(TEMPLATE_LIMITS.name);
const htmlSource = safeString().min(1).max(TEMPLATE_LIMITS.html);

/** Email content: subject and HTML; the text part is generated from the HTML when absent. */
export const emailContentSchema = z
  .object({
    subject: safeString().min(1).max(TEMPLATE_LIMITS.subject),
    html: htmlSource,
    text: safeString().max(TEMPLATE_LIMITS.text).nullable().optional(),
  })
  .strict();
export type EmailContent = z.infer<typeof emailContentSchema>;

/** SMS content. */
export const smsContentSchema = z.object({ text: safeString().min(1).max(TEMPLATE_LIMITS.sms) }).strict();
export type SmsContent = z.infer<typeof smsContentSchema>;

/** Creating a template: its channel decides which parts it has. */
export const createTemplateBodySchema = z.discriminatedUnion('channel', [
  z
    .object({
      channel: z.literal('email'),
      name: templateName,
      subject: emailContentSchema.shape.subject,
      html: htmlSource,
      text: emailContentSchema.shape.text,
    })
    .strict(),
  z.object({ channel: z.literal('sms'), name: templateName, text: smsContentSchema.shape.text }).strict(),
]);
export type CreateTemplateBody = z.infer<typeof createTemplateBodySchema>;

/** Changing a template: any of its parts (the channel stays). `text: null` drops an email's text part. */
export const updateTemplateBodySchema = z
  .object({
    name: templateName.optional(),
    subject: emailContentSchema.shape.subject.optional(),
    html: htmlSource.optional(),
    text: safeString().max(TEMPLATE_LIMITS.text).nullable().optional(),
  })
  .strict();
export type UpdateTemplateBody = z.infer<typeof updateTemplateBodySchema>;

export const messageTemplateSchema = z.object({
  id: z.string(),
  channel: channelSchema,
  name: z.string(),
  /** Email only (null for SMS). */
  subject: z.string().nullable(),
  html: z.string().nullable(),
  /** Email: the text part as written (null: generated from the HTML); SMS: the message. */
  text: z.string().nullable(),
  /** The merge fields it uses. */
  fields: z.array(z.string()),
  /** Inactive templates cannot be used for new sends. */
  active: z.boolean(),
  /** Counts content changes (1 when created). */
  version: z.number().int(),
  /** Set on a copy distributed from an ancestor account. */
  origin: originSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

/** A list row: without the bodies. */
export const templateSummarySchema = messageTemplateSchema.omit({ html: true, text: true });
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const templateListQuerySchema = z
  .object({
    channel: channelSchema.optional(),
    /** Part of the name, case-insensitive. */
    search: safeString().trim().max(200).optional(),
    /** Only active (`true`) or only inactive (`false`) templates. */
    active: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: cursorString().optional(),
  })
  .strict();
export type TemplateListQuery = z.infer<typeof templateListQuerySchema>;
export const templatePageSchema = pageSchema(templateSummarySchema);
export type TemplatePage = z.infer<typeof templatePageSchema>;

export const templateParamsSchema = accountParamsSchema.extend({ templateId: numericId });

/**
 * Preview: a saved template (`templateId`) or unsaved content (`channel` + its parts), rendered for
 * one contact (`contactId`; without one, with empty values), and, given a `selection`, how many of
 * its contacts lack each merge field the content uses.
 */
export const templatePreviewBodySchema = z
  .object({
    templateId: numericId.optional(),
    channel: channelSchema.optional(),
    subject: emailContentSchema.shape.subject.optional(),
    html: htmlSource.optional(),
    text: safeString().max(TEMPLATE_LIMITS.text).nullable().optional(),
    contactId: numericId.optional(),
    selection: selectionSchema.optional(),
  })
  .strict();
export type TemplatePreviewBody = z.infer<typeof templatePreviewBodySchema>;

/** How a text goes out as SMS (see sms-segments.ts). */
export const smsInfoSchema = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z.number().int(),
  segments: z.number().int(),
  perSegment: z.number().int(),
});

export const missingFieldSchema = z.object({ field: z.string(), count: z.number().int() });
export type MissingField = z.infer<typeof missingFieldSchema>;

export const templatePreviewSchema = z.object({
  channel: channelSchema,
  /** Email: the rendered subject and HTML (null for SMS). */
  subject: z.string().nullable(),
  html: z.string().nullable(),
  /** Email: the text part (written or generated); SMS: the message. */
  text: z.string(),
  /** SMS: the rendered message's size. */
  sms: smsInfoSchema.nullable(),
  fields: z.array(z.string()),
  /** Given a selection: its contacts (count) and, per used field some lack, how many. */
  selection: z.object({ count: z.number().int(), missingFields: z.array(missingFieldSchema) }).nullable(),
});
export type TemplatePreview = z.infer<typeof templatePreviewSchema>;

/** Details of a 400 TEMPLATE_INVALID: a syntax error in one part, or merge fields the account lacks. */
export const templateInvalidDetailsSchema = z.union([
  z.object({
    part: z.enum(['subject', 'html', 'text']),
    line: z.number().int().nullable(),
    message: z.string(),
  }),
  z.object({ fields: z.array(z.string()) }),
]);
export type TemplateInvalidDetails = z.infer<typeof templateInvalidDetailsSchema>;
