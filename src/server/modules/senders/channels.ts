// Which channel an account's messages go through, and the shared rate limit per transport.
// Bulk email and SMS ask this for every send; the sender settings (per-account SMTP server, SMS
// provider, rates) decide the answer.
import type { EmailChannel } from '../../adapters/email-channel.ts';
import type { SmsChannel } from '../../adapters/sms-channel.ts';

/**
 * An account's channels and the rate limit of each transport.
 * - `email`: the account's SMTP server, else the platform default (`SMTP_URL`), else the outbox.
 * - `sms`: the account's provider, or null when it has none (bulk SMS then fails with
 *   `sms_not_configured`).
 * - `acquire`: waits until the transport's token bucket (shared by every worker process, in the
 *   database) grants one send; rejects when `signal` aborts.
 */
export interface MessagingChannels {
  email(accountId: number): Promise<EmailChannel>;
  sms(accountId: number): Promise<SmsChannel | null>;
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /**
   * The transport said "slow down" (HTTP 429 / Retry-After, Vonage status 1): no token of `key` is
   * granted for `ms`, in every process (the shared bucket goes into debt). Optional so that test
   * doubles need not implement it; `AccountChannels` does.
   */
  backoff?(key: string, ms: number): Promise<void>;
  /** Closes pooled connections (process stop). */
  close(): void;
}
