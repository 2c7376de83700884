// MessagingChannels for real: per account its email channel (own SMTP server, else the platform's
// SMTP_URL, else the local outbox) and its SMS channel (Twilio or Vonage from the settings), with
// the shared token buckets per transport. Settings are cached briefly (changes apply within
// seconds); SMTP channels are pooled per URL and shared by accounts on the same server.
import type { Db } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { outboxChannel, smtpChannel, type EmailChannel } from '../../adapters/email-channel.ts';
import type { SmsChannel } from '../../adapters/sms-channel.ts';
import { twilioChannel } from '../../adapters/sms-twilio.ts';
import { vonageChannel } from '../../adapters/sms-vonage.ts';
import type { MessagingChannels } from './channels.ts';
import { RateBuckets, type RateBucketOptions } from './rate-buckets.ts';
import { sendingSettings, type SendingSettings, type SmsSending } from './senders.repo.ts';

export interface AccountChannelsOptions {
  /** The platform's SMTP server (SMTP_URL), used by accounts without their own. */
  smtpUrl: string | undefined;
  /** Platform rates in messages per second; null = unlimited. */
  emailRate: number | null;
  smsRate: number | null;
  /** How long an account's resolved settings are reused. */
  ttlMs?: number;
  /** Parallel SMTP sessions per server. */
  maxConnections?: number;
  /** Time limit of one SMS provider call. */
  smsTimeoutMs?: number;
  /** How long a transport nobody uses any more stays open for sends still in flight. */
  closeDelayMs?: number;
  buckets?: RateBucketOptions;
}

interface Cached {
  at: number;
  settings: Promise<SendingSettings>;
}

interface Pooled {
  channel: EmailChannel;
  accounts: Set<number>;
  closeTimer?: NodeJS.Timeout;
}

const OUTBOX = outboxChannel();

export class AccountChannels implements MessagingChannels {
  private readonly settings = new Map<number, Cached>();
  private readonly pools = new Map<string, Pooled>();
  /** Which SMTP URL each account uses now (so a change releases the old pool). */
  private readonly accountUrl = new Map<number, string>();
  private readonly rates = new Map<string, number | null>();
  private readonly buckets: RateBuckets;
  private readonly ttlMs: number;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly options: AccountChannelsOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.buckets = new RateBuckets(db, options.buckets);
  }

  /** Forgets an account's cached settings (the settings service calls it after a change). */
  invalidate(accountId: number): void {
    this.settings.delete(accountId);
  }

  private async resolve(accountId: number): Promise<SendingSettings> {
    const now = Date.now();
    const cached = this.settings.get(accountId);
    if (cached && now - cached.at < this.ttlMs) return cached.settings;
    const settings = sendingSettings(this.db, this.secrets, asAccountId(accountId));
    this.settings.set(accountId, { at: now, settings });
    settings.catch(() => this.settings.delete(accountId));
    return settings;
  }

  async email(accountId: number): Promise<EmailChannel> {
    const settings = await this.resolve(accountId);
    const url = settings.smtpUrl ?? this.options.smtpUrl ?? null;
    // An account's own rate applies to its own server; the platform's server keeps the platform's.
    const rate = settings.smtpUrl ? (settings.emailRate ?? this.options.emailRate) : this.options.emailRate;
    if (!url) {
      this.release(accountId);
      return OUTBOX;
    }
    if (this.closed) throw new Error('Messaging channels are closed');
    if (this.accountUrl.get(accountId) !== url) this.release(accountId);
    let pooled = this.pools.get(url);
    if (!pooled) {
      pooled = {
        channel: smtpChannel(url, { maxConnections: this.options.maxConnections ?? 5 }),
        accounts: new Set(),
      };
      this.pools.set(url, pooled);
    }
    if (pooled.closeTimer) {
      clearTimeout(pooled.closeTimer);
      delete pooled.closeTimer;
    }
    pooled.accounts.add(accountId);
    this.accountUrl.set(accountId, url);
    this.rates.set(pooled.channel.key, rate);
    return pooled.channel;
  }

  /** The account no longer uses its pool: close it (after in-flight sends) when nobody else does. */
  private release(accountId: number): void {
    const url = this.accountUrl.get(accountId);
    if (url === undefined) return;
    this.accountUrl.delete(accountId);
    const pooled = this.pools.get(url);
    if (!pooled) return;
    pooled.accounts.delete(accountId);
    if (pooled.accounts.size) return;
    pooled.closeTimer = setTimeout(() => {
      if (pooled.accounts.size || this.pools.get(url) !== pooled) return;
      this.pools.delete(url);
      pooled.channel.close();
    }, this.options.closeDelayMs ?? 60_000);
    pooled.closeTimer.unref();
  }

  async sms(accountId: number): Promise<SmsChannel | null> {
    const settings = await this.resolve(accountId);
    if (!settings.sms) return null;
    const channel = smsChannelFor(settings.sms, this.options.smsTimeoutMs);
    this.rates.set(channel.key, settings.smsRate ?? this.options.smsRate);
    return channel;
  }

  /**
   * Waits for the transport's token. The rate is the one the last resolved channel with this key
   * had (its account's setting, else the platform's); an unknown key gets the platform's rate
   * for its kind; the outbox and unlimited rates never wait.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Aborted');
    const rate = this.rates.has(key)
      ? this.rates.get(key)
      : key.startsWith('sms:')
        ? this.options.smsRate
        : key.startsWith('smtp:')
          ? this.options.emailRate
          : null;
    if (rate === null || rate === undefined) return;
    await this.buckets.acquire(key, rate, signal);
  }

  close(): void {
    this.closed = true;
    for (const pooled of this.pools.values()) {
      if (pooled.closeTimer) clearTimeout(pooled.closeTimer);
      pooled.channel.close();
    }
    this.pools.clear();
    this.accountUrl.clear();
    this.settings.clear();
  }
}

/** The adapter for an account's SMS provider settings. */
export function smsChannelFor(sms: SmsSending, timeoutMs?: number): SmsChannel {
  if (sms.provider === 'twilio')
    return twilioChannel(
      {
        accountSid: sms.credentials.accountSid,
        authToken: sms.credentials.authToken,
        ...(sms.baseUrl ? { baseUrl: sms.baseUrl } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      sms.from,
    );
  return vonageChannel(
    {
      apiKey: sms.credentials.apiKey,
      apiSecret: sms.credentials.apiSecret,
      ...(sms.baseUrl ? { baseUrl: sms.baseUrl } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    },
    sms.from,
  );
}
