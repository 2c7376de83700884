// What a bulk email or SMS sends: the parameters stored with the action (a snapshot of the content,
// the sender and the timing rules, taken at creation so later template edits do not change a
// running send) and the content compiled once per process for rendering each recipient's message.
import { z } from 'zod';
import { languageSchema } from '../../../shared/auth.ts';
import { dripSchema } from '../../../shared/bulk-messaging.ts';
import { channelSchema } from '../../../shared/messaging.ts';
import { AppError } from '../../errors.ts';
import {
  compileEmail,
  compileSms,
  renderEmail as renderCompiledEmail,
  renderSms as renderCompiledSms,
  type CompiledEmail,
  type CompiledSms,
  type RenderedEmail,
} from '../templates/email-compose.ts';
import type { MergeValues } from '../templates/template-render.ts';

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
  /** Opens (pixel) and clicks (redirected links) are tracked: mailings with tracking on. */
  tracking: z.boolean().optional(),
  /**
   * The standard mailing this send is (modules/mailings): its id, its family's original
   * (`rootId`, for "nobody gets it twice") and whether failed / soft-bounced ones get it again.
   */
  mailing: z.object({ id: z.string(), rootId: z.string(), includeFailed: z.boolean() }).optional(),
});
export type BulkMessagingParams = z.infer<typeof bulkMessagingParamsSchema>;

/** Content compiled once, rendered per recipient. */
export type CompiledContent =
  | { channel: 'email'; email: CompiledEmail; fields: readonly string[] }
  | { channel: 'sms'; sms: CompiledSms; fields: readonly string[] };

/** Compiles the content of a send (TEMPLATE_INVALID on a syntax error, naming part and line). */
export function compileContent(
  content: Pick<BulkMessagingParams, 'channel' | 'email' | 'sms'>,
): CompiledContent {
  if (content.channel === 'email') {
    if (!content.email) throw new AppError('VALIDATION_FAILED', 'An email needs a subject and HTML');
    const email = compileEmail(content.email);
    return { channel: 'email', email, fields: email.fields };
  }
  if (!content.sms) throw new AppError('VALIDATION_FAILED', 'An SMS needs a text');
  const sms = compileSms(content.sms.text);
  return { channel: 'sms', sms, fields: sms.fields };
}

/** One recipient's email (`values` with `unsubscribe_url` set by the sender). */
export function renderEmail(content: CompiledContent, values: MergeValues): RenderedEmail {
  if (content.channel !== 'email') throw new Error('Not an email');
  return renderCompiledEmail(content.email, values);
}

export function renderSms(content: CompiledContent, values: MergeValues): string {
  if (content.channel !== 'sms') throw new Error('Not an SMS');
  return renderCompiledSms(content.sms, values).text;
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
