// The shape every SMS provider adapter has (Twilio-compatible, Vonage-style, …): one message per
// call, the provider's id back, and errors that say whether to try again and when.
import type { SmsProvider } from '../../shared/messaging.ts';

/** One SMS to send. */
export interface SmsMessage {
  /** E.164 phone number. */
  to: string;
  /** Sender: E.164 number or alphanumeric sender id. */
  from: string;
  body: string;
  /** Where the provider posts status updates for this message (its status callback / DLR URL). */
  statusCallbackUrl?: string;
  /** Herald's own reference (the ledger row), where the provider can carry one (Vonage client-ref). */
  reference?: string;
}

/** The provider accepted the message. */
export interface SmsAccepted {
  providerMessageId: string;
  /** Segments the provider counted, when it says. */
  segments?: number;
}

/**
 * Why a provider did not accept a message. `temporary`: try again after backoff (5xx, timeout,
 * connection reset); `rate_limited`: HTTP 429, wait `retryAfterMs` (from Retry-After) without
 * counting it as a failure; `permanent`: the provider refused this message (invalid number, …).
 */
export class SmsSendError extends Error {
  override name = 'SmsSendError';
  constructor(
    message: string,
    readonly kind: 'temporary' | 'permanent' | 'rate_limited',
    readonly retryAfterMs?: number,
    /** The provider's error code, when it gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** An account's SMS provider. `key` names the transport (one rate bucket per provider and sender). */
export interface SmsChannel {
  readonly provider: SmsProvider;
  readonly key: string;
  send(message: SmsMessage, signal?: AbortSignal): Promise<SmsAccepted>;
}
