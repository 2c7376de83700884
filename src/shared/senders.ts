// Sender settings of an account: where its email goes (its own SMTP server or the platform's),
// its sender profiles, its SMS provider, rates, and the webhook URLs providers call. Secrets (SMTP
// password, SMS credentials, webhook secret) are write-only: sent in, never answered.
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { idString, safeString } from './primitives.ts';
import { smsProviderSchema } from './messaging.ts';

const address = () => z.email('an email address').trim().toLowerCase().max(320);
/** Messages per second (fractions allowed: 0.5 = one every two seconds). */
const rate = () => z.number().positive().max(100_000);
const host = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'a host name or IP address');
const httpUrl = () =>
  z
    .url()
    .max(500)
    .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL');

// ---- sender profiles ----------------------------------------------------------------------

export const senderProfileBodySchema = z
  .object({
    name: safeString().trim().min(1).max(200),
    fromName: safeString().trim().max(200),
    fromAddress: address(),
    replyTo: address().nullable().optional(),
    /** Makes this the account's default profile (the previous default loses it). */
    isDefault: z.boolean().optional(),
  })
  .strict();
export type SenderProfileBody = z.infer<typeof senderProfileBodySchema>;

export const senderProfileUpdateSchema = senderProfileBodySchema.partial().strict();
export type SenderProfileUpdate = z.infer<typeof senderProfileUpdateSchema>;

export const senderProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  fromName: z.string(),
  fromAddress: z.string(),
  replyTo: z.string().nullable(),
  isDefault: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SenderProfile = z.infer<typeof senderProfileSchema>;

export const senderProfileParamsSchema = accountParamsSchema.extend({ profileId: idString() });

// ---- messaging settings -------------------------------------------------------------------

/** The account's own SMTP server. `password` omitted keeps the stored one; "" removes it. */
export const smtpSettingsBodySchema = z
  .object({
    host: host(),
    port: z.number().int().min(1).max(65535),
    /** smtps:// (TLS from the first byte, usually port 465); otherwise STARTTLS when offered. */
    secure: z.boolean().default(false),
    user: safeString().max(320).default(''),
    password: z.string().max(1000).optional(),
  })
  .strict();
export type SmtpSettingsBody = z.infer<typeof smtpSettingsBodySchema>;

export const twilioCredentialsSchema = z
  .object({
    accountSid: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .regex(/^[A-Za-z0-9]+$/, 'letters and digits'),
    /** Omitted: keep the stored token. */
    authToken: z.string().min(1).max(200).optional(),
  })
  .strict();
export const vonageCredentialsSchema = z
  .object({
    apiKey: z
      .string()
      .trim()
      .min(2)
      .max(100)
      .regex(/^[A-Za-z0-9]+$/, 'letters and digits'),
    apiSecret: z.string().min(1).max(200).optional(),
    /** Checks the signature of delivery receipts and inbound messages. */
    signatureSecret: z.string().min(1).max(200).optional(),
  })
  .strict();

/** The account's SMS provider. Credentials' secret parts omitted keep the stored ones (same provider). */
export const smsSettingsBodySchema = z.discriminatedUnion('provider', [
  z
    .object({
      provider: z.literal('twilio'),
      /** null: the official API. */
      baseUrl: httpUrl().nullable().optional(),
      from: safeString().trim().min(1).max(20),
      credentials: twilioCredentialsSchema,
    })
    .strict(),
  z
    .object({
      provider: z.literal('vonage'),
      baseUrl: httpUrl().nullable().optional(),
      from: safeString().trim().min(1).max(20),
      credentials: vonageCredentialsSchema,
    })
    .strict(),
]);
export type SmsSettingsBody = z.infer<typeof smsSettingsBodySchema>;

/** A change of the settings: each field omitted stays as it is; null removes it. */
export const messagingSettingsUpdateSchema = z
  .object({
    /** null: no own server (the platform default, else the local outbox). */
    smtp: smtpSettingsBodySchema.nullable().optional(),
    /** null: the platform's rate. */
    emailRate: rate().nullable().optional(),
    sms: smsSettingsBodySchema.nullable().optional(),
    smsRate: rate().nullable().optional(),
  })
  .strict();
export type MessagingSettingsUpdate = z.infer<typeof messagingSettingsUpdateSchema>;

/** Where the provider webhooks of an account go. */
export const hookUrlsSchema = z.object({
  emailEvents: z.string(),
  bounces: z.string(),
  /** Present when an SMS provider is set. */
  smsStatus: z.string().nullable(),
  smsInbound: z.string().nullable(),
});
export type HookUrls = z.infer<typeof hookUrlsSchema>;

export const messagingSettingsSchema = z.object({
  smtp: z.discriminatedUnion('configured', [
    z.object({
      configured: z.literal(true),
      host: z.string(),
      port: z.number(),
      secure: z.boolean(),
      user: z.string(),
      /** A password is stored (never shown). */
      hasPassword: z.boolean(),
    }),
    z.object({
      configured: z.literal(false),
      /** Where email goes instead: the platform's SMTP server, or the local outbox. */
      fallback: z.enum(['platform', 'outbox']),
    }),
  ]),
  emailRate: z.number().nullable(),
  /** The rate that applies (this account's, else the platform's; null = unlimited). */
  effectiveEmailRate: z.number().nullable(),
  sms: z
    .object({
      provider: smsProviderSchema,
      baseUrl: z.string().nullable(),
      from: z.string(),
      configured: z.literal(true),
      /** Twilio account SID or Vonage API key, masked (first and last characters). */
      accountId: z.string(),
      /** Vonage: a signature secret is stored. */
      hasSignatureSecret: z.boolean(),
    })
    .nullable(),
  smsRate: z.number().nullable(),
  effectiveSmsRate: z.number().nullable(),
  webhookToken: z.string().nullable(),
  hasWebhookSecret: z.boolean(),
  hooks: hookUrlsSchema.nullable(),
  updatedAt: z.string().nullable(),
});
export type MessagingSettings = z.infer<typeof messagingSettingsSchema>;

/** Answer of (re)generating the webhook secret: the only time it is shown. */
export const webhookSecretSchema = z.object({ secret: z.string(), settings: messagingSettingsSchema });
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;

export const testEmailBodySchema = z
  .object({ to: address(), senderProfileId: idString().optional() })
  .strict();
export type TestEmailBody = z.infer<typeof testEmailBodySchema>;

export const testSmsBodySchema = z.object({ to: safeString().trim().min(3).max(40) }).strict();
export type TestSmsBody = z.infer<typeof testSmsBodySchema>;

/** A test send's result: ok=false carries the server's or provider's words, not an error status. */
export const testSendResultSchema = z.object({ ok: z.boolean(), detail: z.string() });
export type TestSendResult = z.infer<typeof testSendResultSchema>;
