// Deliverability and opt-outs as the API shows them, and the documented shapes of the provider
// webhooks Herald accepts (`/api/hooks/<token>/…`).
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { idString, safeString } from './primitives.ts';
import { deliverabilityStateSchema, channelSchema, optOutSourceSchema } from './messaging.ts';

// ---- contact detail ---------------------------------------------------------------------------

/** One address's deliverability; `state: ok` with `changedAt: null` when nothing was ever recorded. */
export const addressDeliverabilitySchema = z.object({
  channel: channelSchema,
  /** The contact's email or phone now, or null when it has none. */
  address: z.string().nullable(),
  state: deliverabilityStateSchema,
  /** Soft bounces in a row (after 3 the address counts as hard-bounced). */
  softBounces: z.number().int(),
  reason: z.string().nullable(),
  changedAt: z.string().nullable(),
});
export type AddressDeliverability = z.infer<typeof addressDeliverabilitySchema>;

export const optOutEntrySchema = z.object({
  channel: channelSchema,
  source: optOutSourceSchema,
  /** The ledger row (`messages.id`) the opt-out came from, if any. */
  messageId: z.string().nullable(),
  at: z.string(),
});
export type OptOutEntry = z.infer<typeof optOutEntrySchema>;

export const contactDeliverabilitySchema = z.object({
  email: addressDeliverabilitySchema,
  sms: addressDeliverabilitySchema,
  /** Newest first (at most 100). */
  optOuts: z.array(optOutEntrySchema),
});
export type ContactDeliverability = z.infer<typeof contactDeliverabilitySchema>;

export const contactDeliverabilityParamsSchema = accountParamsSchema.extend({ contactId: idString() });

// ---- webhooks ---------------------------------------------------------------------------------

export const hookParamsSchema = z.object({ token: safeString().min(1).max(200) });

/**
 * One event of the email event webhook (`POST /api/hooks/<token>/email/events`, a JSON array). The
 * body is signed: `X-Herald-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret,
 * "<t>.<raw body>")>`; more than 5 minutes off the server's clock is refused.
 */
export const emailEventSchema = z
  .object({
    /** The provider's event id: an event seen before is not applied again. */
    id: safeString().min(1).max(200),
    type: z.enum(['delivered', 'bounce', 'complaint']),
    /** The RFC 5322 Message-ID of the message, with or without angle brackets. */
    messageId: safeString().min(1).max(998),
    /** Bounces only (default hard). */
    bounceType: z.enum(['hard', 'soft']).optional(),
    reason: safeString().max(2000).optional(),
    /** When it happened (ISO 8601); events are applied in this order whatever order they arrive in. */
    timestamp: z.iso.datetime({ offset: true }),
  })
  .loose();
export type EmailEvent = z.infer<typeof emailEventSchema>;
export const emailEventsBodySchema = z.array(emailEventSchema).max(1000);

/** What the email event webhook did with the events: applied, seen before, or for no known message. */
export const emailEventsResultSchema = z.object({
  applied: z.number().int(),
  duplicates: z.number().int(),
  ignored: z.number().int(),
});
export type EmailEventsResult = z.infer<typeof emailEventsResultSchema>;

/** A provider's form or JSON fields (Twilio and Vonage send flat string fields). */
export const providerFieldsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const smsCallbackQuerySchema = z.object({ m: idString().optional() }).loose();

export const hookResultSchema = z.object({ result: z.enum(['applied', 'duplicate', 'ignored']) });
