// What a bulk email or SMS sends: the parameters stored with the action (a snapshot of the content,
// the sender and the timing rules, taken at creation so later template edits do not change a
// running send) and the content compiled once per process for rendering each recipient's message.
import { z } from 'zod';
import { convert } from 'html-to-text';
import { languageSchema } from '../../../shared/auth.ts';
import { dripSchema } from '../../../shared/bulk-messaging.ts';
import { channelSchema, type Channel } from '../../../shared/messaging.ts';
import { AppError } from '../../errors.ts';
import {
  compilePart,
  fieldsOfPart,
  renderPart,
  type CompiledPart,
  type MergeValues,
} from '../templates/template-render.ts';

/** The parameters of a `bulk_email` / `bulk_sms` action (`bulk_actions.params`). */
export const bulkMessagingParamsSchema = z.object({
  channel: channelSchema,
  templateId: z.string().optional(),
  templateName: z.string().optional(),
  email: z.object({ subject: z.string(), html: z.string(), text: z.string().optional() }).optional(),
  sms: z.object({ text: z.string() }).optional(),
  sender: z
    .object({ fromName: z.string(), fromAddress: z.string(), replyTo: z.string().nullable() })
    .optional(),
  drip: dripSchema.optional(),
  quietHours: z.boolean(),
  /** The account's time zone at creation: drip windows and quiet hours are read in it. */
  timeZone: z.string(),
  /** The creator's language: the footer's words. */
  language: languageSchema,
  /** The merge fields the content uses. */
  fields: z.array(z.string()),
});
export type BulkMessagingParams = z.infer<typeof bulkMessagingParamsSchema>;

/** Merge fields every contact has; any other name is a custom field's key. */
export const STANDARD_FIELDS = ['first_name', 'last_name', 'email', 'phone'] as const;

/** Content compiled once, rendered per recipient. */
export interface CompiledContent {
  channel: Channel;
  subject: CompiledPart | null;
  html: CompiledPart | null;
  text: CompiledPart;
  fields: string[];
}

/** One recipient's rendered email parts. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

function compile(source: string, mode: 'html' | 'plain', part: string): CompiledPart {
  try {
    return compilePart(source, mode);
  } catch (err) {
    const e = err as { message?: string; token?: { getPosition?: () => number[] } };
    throw new AppError('TEMPLATE_INVALID', `The ${part} is not a valid template: ${e.message ?? String(err)}`, {
      part,
      line: e.token?.getPosition?.()[0] ?? null,
    });
  }
}

/**
 * Compiles the content of a send (TEMPLATE_INVALID on a syntax error). An email without a text part
 * gets one made from its HTML (the template's HTML turned into text once, merged unescaped).
 */
export function compileContent(content: Pick<BulkMessagingParams, 'channel' | 'email' | 'sms'>): CompiledContent {
  if (content.channel === 'email') {
    const email = content.email;
    if (!email) throw new AppError('VALIDATION_FAILED', 'An email needs a subject and HTML');
    const subject = compile(email.subject, 'plain', 'subject');
    const html = compile(email.html, 'html', 'html');
    const textSource = email.text?.trim() ? email.text : convert(email.html, { wordwrap: 100 });
    const text = compile(textSource, 'plain', 'text');
    const fields = [...new Set([subject, html, text].flatMap(fieldsOfPart))].sort();
    return { channel: 'email', subject, html, text, fields };
  }
  if (!content.sms) throw new AppError('VALIDATION_FAILED', 'An SMS needs a text');
  const text = compile(content.sms.text, 'plain', 'text');
  return { channel: 'sms', subject: null, html: null, text, fields: fieldsOfPart(text) };
}

export function renderEmail(content: CompiledContent, values: MergeValues): RenderedEmail {
  return {
    subject: renderPart(content.subject!, values).replace(/[\r\n]+/g, ' '),
    html: renderPart(content.html!, values),
    text: renderPart(content.text, values),
  };
}

export function renderSms(content: CompiledContent, values: MergeValues): string {
  return renderPart(content.text, values);
}

/** The merge values of one contact row for `fields` (standard columns and custom field keys). */
export function mergeValuesOf(
  row: {
    first_name?: string | null;
    last_name?: string | null;
    email?: string | null;
    phone?: string | null;
    custom_fields?: unknown;
  },
  fields: readonly string[],
): Record<string, string | number | boolean | null> {
  const custom = (typeof row.custom_fields === 'string' ? JSON.parse(row.custom_fields) : row.custom_fields) as
    | Record<string, unknown>
    | null
    | undefined;
  const values: Record<string, string | number | boolean | null> = {};
  for (const field of fields) {
    const value = (STANDARD_FIELDS as readonly string[]).includes(field)
      ? row[field as (typeof STANDARD_FIELDS)[number]]
      : custom?.[field];
    values[field] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  return values;
}

/** The stable Message-ID of the email of `contactId` in `actionId`: a resend is recognisable. */
export function bulkMessageId(actionId: number, contactId: number, fromAddress: string): string {
  const domain = fromAddress.split('@')[1]?.trim() || 'herald.invalid';
  return `<a${actionId}.c${contactId}@${domain}>`;
}

/** A small LRU cache (insertion order of a Map): compiled content per action, per process. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly size: number) {}
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as K);
  }
}
