// The public webhooks' rules: the token names the account, each caller proves itself (Herald's
// signature, Twilio's, Vonage's, or the webhook secret as a bearer), and what it reports is
// applied within that account only, through the deliverability service.
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { parseDsn } from '../../adapters/dsn-parser.ts';
import { normalizePhone } from '../../../shared/normalize.ts';
import type { EmailEvent, EmailEventsResult } from '../../../shared/deliverability.ts';
import type { SmsProvider } from '../../../shared/messaging.ts';
import type { DeliverabilityService, EventResult } from '../deliverability/deliverability.service.ts';
import { findHookAccount, type HookAccount } from './hooks.repo.ts';
import {
  sameSecret,
  verifyHeraldSignature,
  verifyTwilioSignature,
  verifyVonageSignature,
} from './hook-signatures.ts';

/** Inbound SMS texts that opt the sender out (trimmed, any case). */
export const SMS_STOP_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPP',
  'ABMELDEN',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
]);

export const isStopKeyword = (text: string): boolean => SMS_STOP_KEYWORDS.has(text.trim().toUpperCase());

/** Ledger reason of an SMS the provider reports as not delivered (the detail names status and code). */
export const SMS_UNDELIVERED_REASON = 'undelivered';

/**
 * What a provider's error code says about the phone number: Twilio 30005 (unknown destination),
 * 30006 (landline or unreachable carrier), 21211 (invalid number), 21614 (not a mobile number) are
 * hard; 30003 (handset unreachable) is soft. Vonage err-code 3 (absent subscriber, permanent),
 * 9 (illegal number), 11 (unroutable) are hard; 2 (absent subscriber, temporary), 7 (handset busy),
 * 12 (destination unreachable) soft. Other codes are about the message or the account.
 */
export const PHONE_ERRORS: Record<SmsProvider, Record<string, 'hard' | 'soft'>> = {
  twilio: { '30005': 'hard', '30006': 'hard', '21211': 'hard', '21614': 'hard', '30003': 'soft' },
  vonage: { '3': 'hard', '9': 'hard', '11': 'hard', '2': 'soft', '7': 'soft', '12': 'soft' },
};

const phoneError = (provider: SmsProvider, code: string | undefined) =>
  code !== undefined && Object.hasOwn(PHONE_ERRORS[provider], code) ? PHONE_ERRORS[provider][code]! : null;

const refused = () => new AppError('SIGNATURE_INVALID', 'The request signature is missing or not valid');

/** Flat string fields of a provider's form or JSON body. */
export type ProviderFields = Record<string, string>;

export class HooksService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly deliverability: DeliverabilityService,
    private readonly publicUrl: string,
  ) {}

  /** The account of a webhook token; an unknown token is a 404 that tells nothing more. */
  async account(token: string): Promise<HookAccount> {
    const account = await findHookAccount(this.db, token);
    if (!account) throw new AppError('NOT_FOUND', 'Unknown webhook');
    return account;
  }

  private webhookSecret(account: HookAccount): string {
    if (!account.webhookSecretSealed) throw refused();
    return this.secrets.open(account.webhookSecretSealed);
  }

  private credentials(account: HookAccount, provider: SmsProvider): Record<string, unknown> {
    if (account.smsProvider !== provider || !account.smsCredentialsSealed) throw refused();
    try {
      return JSON.parse(this.secrets.open(account.smsCredentialsSealed)) as Record<string, unknown>;
    } catch {
      throw refused();
    }
  }

  /** Checks `X-Herald-Signature` of the email event webhook over the raw body (401 when it fails). */
  checkHeraldSignature(account: HookAccount, header: string | undefined, rawBody: string): void {
    if (!verifyHeraldSignature(this.webhookSecret(account), header, rawBody, this.clock.now()))
      throw refused();
  }

  /** Checks the bounce webhook's `Authorization: Bearer <webhook secret>`. */
  checkBearer(account: HookAccount, authorization: string | undefined): void {
    const given = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : '';
    if (!given || !sameSecret(given, this.webhookSecret(account))) throw refused();
  }

  /** Checks `X-Twilio-Signature` over the public URL Twilio called (`path` with its query) and the form. */
  checkTwilio(account: HookAccount, header: string | undefined, path: string, fields: ProviderFields): void {
    const { authToken } = this.credentials(account, 'twilio');
    const url = `${this.publicUrl.replace(/\/$/, '')}${path}`;
    if (typeof authToken !== 'string' || !verifyTwilioSignature(authToken, header, url, fields))
      throw refused();
  }

  /** Checks Vonage's `sig` (and its timestamp) with the account's signature secret. */
  checkVonage(account: HookAccount, fields: ProviderFields): void {
    const { signatureSecret } = this.credentials(account, 'vonage');
    if (
      typeof signatureSecret !== 'string' ||
      !verifyVonageSignature(signatureSecret, fields, this.clock.now())
    )
      throw refused();
  }

  /** Applies the events of the email event webhook (the signature was checked). */
  async emailEvents(account: HookAccount, events: EmailEvent[]): Promise<EmailEventsResult> {
    const result: EmailEventsResult = { applied: 0, duplicates: 0, ignored: 0 };
    for (const e of events) {
      const at = new Date(e.timestamp);
      const reason = e.reason ?? null;
      const outcome = await this.deliverability.applyEvent(
        account.accountId,
        { provider: 'email_webhook', eventId: e.id },
        { channel: 'email', messageId: e.messageId },
        e.type === 'delivered'
          ? { type: 'delivered', at }
          : e.type === 'bounce'
            ? { type: 'bounce', hard: e.bounceType !== 'soft', reason, at }
            : { type: 'complaint', reason, at },
      );
      result[outcome === 'applied' ? 'applied' : outcome === 'duplicate' ? 'duplicates' : 'ignored']++;
    }
    return result;
  }

  /**
   * A Twilio status callback: `delivered` → delivered; `undelivered` / `failed` → failed with the
   * ErrorCode; other statuses (queued, sending, sent, …) change nothing. The ledger row by `m`
   * within the account, else by MessageSid.
   */
  async twilioStatus(
    account: HookAccount,
    ledgerId: number | null,
    fields: ProviderFields,
  ): Promise<EventResult> {
    const status = (fields.MessageStatus ?? fields.SmsStatus ?? '').toLowerCase();
    const sid = fields.MessageSid ?? fields.SmsSid ?? null;
    const at = this.clock.now();
    const event =
      status === 'delivered'
        ? ({ type: 'delivered', at } as const)
        : status === 'undelivered' || status === 'failed'
          ? ({
              type: 'failed',
              reason: SMS_UNDELIVERED_REASON,
              detail: `Twilio ${status}${fields.ErrorCode ? `, error ${fields.ErrorCode}` : ''}`,
              phone: phoneError('twilio', fields.ErrorCode),
              at,
            } as const)
          : null;
    if (!event) return 'ignored';
    return this.deliverability.applyEvent(
      account.accountId,
      { provider: 'twilio', eventId: sid ? `${sid}:${status}` : null },
      { channel: 'sms', ledgerId, providerMessageId: sid },
      event,
    );
  }

  /** A Vonage delivery receipt: `delivered` → delivered; `failed`, `expired`, `rejected` → failed. */
  async vonageStatus(
    account: HookAccount,
    ledgerId: number | null,
    fields: ProviderFields,
  ): Promise<EventResult> {
    const status = (fields.status ?? '').toLowerCase();
    const id = fields.messageId ?? fields['message-id'] ?? null;
    const at = this.clock.now();
    const event =
      status === 'delivered'
        ? ({ type: 'delivered', at } as const)
        : status === 'failed' || status === 'expired' || status === 'rejected'
          ? ({
              type: 'failed',
              reason: SMS_UNDELIVERED_REASON,
              detail: `Vonage ${status}${fields['err-code'] ? `, error ${fields['err-code']}` : ''}`,
              phone: phoneError('vonage', fields['err-code']),
              at,
            } as const)
          : null;
    if (!event) return 'ignored';
    const ref =
      ledgerId ?? (/^\d{1,15}$/.test(fields['client-ref'] ?? '') ? Number(fields['client-ref']) : null);
    return this.deliverability.applyEvent(
      account.accountId,
      { provider: 'vonage', eventId: id ? `${id}:${status}` : null },
      { channel: 'sms', ledgerId: ref, providerMessageId: id },
      event,
    );
  }

  /**
   * An inbound SMS: a stop keyword opts every contact of the account with the sender's phone out of
   * SMS. Answers how many contacts were opted out (0 for any other text).
   */
  async inboundSms(
    account: HookAccount,
    from: string | undefined,
    text: string | undefined,
  ): Promise<number> {
    if (!from || text === undefined || !isStopKeyword(text)) return 0;
    const phone = normalizePhone(/^\d+$/.test(from) ? `+${from}` : from);
    if (!phone) return 0;
    return this.deliverability.smsKeywordOptOut(account.accountId, phone);
  }

  /**
   * A raw bounce message: each failed recipient of its DSN bounces the ledger row of the returned
   * Message-ID (hard for 5.x.x, soft for 4.x.x: given up after temporary errors). Delay warnings,
   * not a DSN, or no known message: ignored.
   */
  async bounce(account: HookAccount, raw: Buffer): Promise<{ result: EventResult; recipients: number }> {
    const dsn = await parseDsn(raw);
    if (!dsn || !dsn.originalMessageId || dsn.recipients.length === 0)
      return { result: 'ignored', recipients: 0 };
    let result: EventResult = 'ignored';
    for (const r of dsn.recipients) {
      // "delayed" is a warning while the sending MTA still tries (RFC 3464 §2.3.3), not a bounce:
      // the message may yet be delivered, and a bounced row could not move back to delivered.
      if (r.action !== 'failed') continue;
      const outcome = await this.deliverability.applyEvent(
        account.accountId,
        { provider: 'dsn', eventId: `${dsn.originalMessageId}:${r.recipient}:${r.action}:${r.status}` },
        { channel: 'email', messageId: dsn.originalMessageId },
        {
          type: 'bounce',
          hard: r.kind === 'hard',
          reason: r.diagnostic ?? `Status ${r.status}`,
          at: this.clock.now(),
        },
      );
      if (outcome === 'applied' || (outcome === 'duplicate' && result === 'ignored')) result = outcome;
    }
    return { result, recipients: dsn.recipients.length };
  }
}
