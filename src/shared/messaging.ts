// Messaging vocabulary shared by server and web: channels, the send ledger's states, deliverability
// states and opt-out sources. Feature schemas (templates, sender settings, bulk email / SMS
// parameters) live in their own files beside this one.
import { z } from 'zod';

/** The two outbound channels. */
export const CHANNELS = ['email', 'sms'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

/**
 * A ledger row's state (`messages.status`). queued → sent → delivered; sent → bounced (hard/soft,
 * `bounce_type`); queued → failed (the server's reason) or cancelled (the action was cancelled
 * before it went out); skipped is final from the start (never sent, with a reason).
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'bounced',
  'failed',
  'skipped',
  'cancelled',
] as const;
export const messageStatusSchema = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/**
 * How far each state is along the way, so provider events apply monotonically: an event moves a
 * row only forward (a late `delivered` does not undo a `bounced`; `complained` is recorded beside).
 */
export const MESSAGE_STATUS_RANK: Record<MessageStatus, number> = {
  queued: 0,
  skipped: 0,
  cancelled: 0,
  failed: 1,
  sent: 1,
  delivered: 2,
  bounced: 3,
};

/** An address's or phone's deliverability (`address_deliverability.state`), apart from consent. */
export const DELIVERABILITY_STATES = ['ok', 'soft_bounced', 'hard_bounced', 'complained'] as const;
export const deliverabilityStateSchema = z.enum(DELIVERABILITY_STATES);
export type DeliverabilityState = z.infer<typeof deliverabilityStateSchema>;

/** Where an opt-out came from (`opt_outs.source`). */
export const OPT_OUT_SOURCES = [
  'unsubscribe_link',
  'one_click',
  'sms_keyword',
  'complaint',
  'user',
  'import',
] as const;
export const optOutSourceSchema = z.enum(OPT_OUT_SOURCES);
export type OptOutSource = z.infer<typeof optOutSourceSchema>;

/** The SMS providers an account can choose. */
export const SMS_PROVIDERS = ['twilio', 'vonage'] as const;
export const smsProviderSchema = z.enum(SMS_PROVIDERS);
export type SmsProvider = z.infer<typeof smsProviderSchema>;
