// Sender settings of an account: SMTP server, email rate, SMS provider and credentials, webhook
// token and secret, sender profiles, and "send a test message". Secrets are sealed with the
// secret box on the way in and never leave again (answers say only that one is stored).
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError, notFound } from '../../errors.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { EmailSendError } from '../../adapters/email-transport.ts';
import { SmsSendError } from '../../adapters/sms-channel.ts';
import { normalizePhone } from '../../../shared/normalize.ts';
import type {
  MessagingSettings,
  MessagingSettingsUpdate,
  SenderProfile,
  SenderProfileBody,
  SenderProfileUpdate,
  TestEmailBody,
  TestSendResult,
  TestSmsBody,
  WebhookSecret,
} from '../../../shared/senders.ts';
import type { AccountChannels } from './account-channels.ts';
import { hookUrls } from './hook-urls.ts';
import * as repo from './senders.repo.ts';
import { releaseSubstitutes } from '../substitutes/substitute-usage.ts';

export interface SendersConfig {
  publicUrl: string;
  /** The platform's SMTP server (SMTP_URL), if any. */
  smtpUrl: string | undefined;
  emailRate: number | null;
  smsRate: number | null;
  /** Herald's own sender ("Name <address>"), used by a test email when the account has no profile. */
  mailFrom: string;
}

/** A new random URL-safe token or secret. */
const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');

/** "AC12…cdef": enough to recognise an id, not enough to use it. */
export function maskId(id: string): string {
  if (id.length <= 6) return `${id.slice(0, 1)}…`;
  if (id.length <= 12) return `${id.slice(0, 2)}…${id.slice(-2)}`;
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, {
    fields: [{ field: `body.${field}`, message }],
  });
}

/** Builds the SMTP URL that is sealed at rest. */
function smtpUrlOf(s: {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string | null;
}) {
  const auth = s.user
    ? `${encodeURIComponent(s.user)}${s.password ? `:${encodeURIComponent(s.password)}` : ''}@`
    : '';
  const host = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
  return `${s.secure ? 'smtps' : 'smtp'}://${auth}${host}:${s.port}`;
}

interface SmtpParts {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string | null;
}

function smtpPartsOf(url: string): SmtpParts {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (secure ? 465 : 25)),
    secure,
    user: decodeURIComponent(u.username),
    password: u.password ? decodeURIComponent(u.password) : null,
  };
}

/** Takes every secret out of a text before it is answered (a server may echo what it was sent). */
function scrub(text: string, secrets: (string | null | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}

function parseMailFrom(text: string): { name: string; address: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(text);
  return m ? { name: m[1] ?? '', address: m[2] ?? '' } : { name: '', address: text.trim() };
}

export class SendersService {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly channels: AccountChannels,
    private readonly config: SendersConfig,
  ) {}

  /** The settings as answered; `withHooks` false leaves out the webhook token and URLs. */
  async settings(accountId: AccountId, withHooks = true): Promise<MessagingSettings> {
    const row = await withTenant(this.db, accountId, (tx) => repo.findSettings(tx, accountId));
    return this.toApi(row, withHooks);
  }

  private toApi(row: repo.SettingsRow | undefined, withHooks: boolean): MessagingSettings {
    const open = repo.openSettings(row, this.secrets);
    const smtp = open.smtpUrl ? smtpPartsOf(open.smtpUrl) : null;
    const sms = open.sms;
    return {
      smtp: smtp
        ? {
            configured: true,
            host: smtp.host,
            port: smtp.port,
            secure: smtp.secure,
            user: smtp.user,
            hasPassword: Boolean(smtp.password),
          }
        : { configured: false, fallback: this.config.smtpUrl ? 'platform' : 'outbox' },
      emailRate: open.emailRate,
      effectiveEmailRate: smtp ? (open.emailRate ?? this.config.emailRate) : this.config.emailRate,
      sms: sms
        ? {
            provider: sms.provider,
            baseUrl: sms.baseUrl,
            from: sms.from,
            configured: true,
            accountId: maskId(
              sms.provider === 'twilio' ? sms.credentials.accountSid : sms.credentials.apiKey,
            ),
            hasSignatureSecret: sms.provider === 'vonage' && Boolean(sms.credentials.signatureSecret),
          }
        : null,
      smsRate: open.smsRate,
      effectiveSmsRate: open.smsRate ?? this.config.smsRate,
      webhookToken: withHooks ? open.webhookToken : null,
      hasWebhookSecret: Boolean(open.webhookSecret),
      hooks:
        withHooks && open.webhookToken
          ? hookUrls(this.config.publicUrl, open.webhookToken, sms?.provider ?? null)
          : null,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  /** Applies a change; fields left out stay; secrets left out are kept (same server / provider). */
  async update(
    accountId: AccountId,
    userId: number,
    body: MessagingSettingsUpdate,
  ): Promise<MessagingSettings> {
    const row = await withTenant(this.db, accountId, async (tx) => {
      const current = await repo.findSettings(tx, accountId);
      const open = repo.openSettings(current, this.secrets);
      const next: Omit<repo.SettingsRow, 'updatedAt'> = {
        smtpUrlSealed: current?.smtpUrlSealed ?? null,
        emailRate: current?.emailRate ?? null,
        smsProvider: current?.smsProvider ?? null,
        smsBaseUrl: current?.smsBaseUrl ?? null,
        smsCredentialsSealed: current?.smsCredentialsSealed ?? null,
        smsFrom: current?.smsFrom ?? null,
        smsRate: current?.smsRate ?? null,
        webhookSecretSealed: current?.webhookSecretSealed ?? null,
        webhookToken: current?.webhookToken ?? randomToken(24),
      };
      if (body.smtp === null) next.smtpUrlSealed = null;
      else if (body.smtp) {
        const old = open.smtpUrl ? smtpPartsOf(open.smtpUrl) : null;
        // A stored password is kept only for the same server and login: otherwise whoever may edit
        // the settings could point it at a server of their own and receive it (it is never answered).
        const sameLogin =
          old !== null &&
          old.host.toLowerCase() === body.smtp.host.toLowerCase() &&
          old.port === body.smtp.port &&
          old.secure === body.smtp.secure &&
          old.user === body.smtp.user;
        if (body.smtp.password === undefined && old?.password && !sameLogin) {
          throw invalid('smtp.password', 'enter the password again when the server or user changes');
        }
        const password =
          body.smtp.password === undefined ? (old?.password ?? null) : body.smtp.password || null;
        next.smtpUrlSealed = this.secrets.seal(
          smtpUrlOf({
            host: body.smtp.host,
            port: body.smtp.port,
            secure: body.smtp.secure,
            user: body.smtp.user,
            password,
          }),
        );
      }
      if (body.emailRate !== undefined) next.emailRate = body.emailRate;
      if (body.smsRate !== undefined) next.smsRate = body.smsRate;
      if (body.sms === null) {
        next.smsProvider = null;
        next.smsBaseUrl = null;
        next.smsCredentialsSealed = null;
        next.smsFrom = null;
      } else if (body.sms) {
        const sms = body.sms;
        // Stored secrets are kept only for the same provider account at the same address (see SMTP).
        const sameAccount =
          open.sms?.provider === sms.provider &&
          (open.sms.baseUrl ?? null) === (sms.baseUrl ?? null) &&
          (sms.provider === 'twilio'
            ? 'accountSid' in open.sms.credentials &&
              open.sms.credentials.accountSid === sms.credentials.accountSid
            : 'apiKey' in open.sms.credentials && open.sms.credentials.apiKey === sms.credentials.apiKey);
        const old = sameAccount ? open.sms : null;
        let credentials: Record<string, string | null>;
        if (sms.provider === 'twilio') {
          const authToken =
            sms.credentials.authToken ?? (old?.provider === 'twilio' ? old.credentials.authToken : undefined);
          if (!authToken) throw invalid('sms.credentials.authToken', 'required for a new Twilio account');
          credentials = { accountSid: sms.credentials.accountSid, authToken };
        } else {
          const oldVonage = old?.provider === 'vonage' ? old.credentials : undefined;
          const apiSecret = sms.credentials.apiSecret ?? oldVonage?.apiSecret;
          if (!apiSecret) throw invalid('sms.credentials.apiSecret', 'required for a new Vonage account');
          credentials = {
            apiKey: sms.credentials.apiKey,
            apiSecret,
            signatureSecret: sms.credentials.signatureSecret ?? oldVonage?.signatureSecret ?? null,
          };
        }
        next.smsProvider = sms.provider;
        next.smsBaseUrl = sms.baseUrl ?? null;
        next.smsFrom = sms.from;
        next.smsCredentialsSealed = this.secrets.seal(JSON.stringify(credentials));
      }
      return repo.saveSettings(tx, accountId, next, userId);
    });
    this.channels.invalidate(accountId);
    return this.toApi(row, true);
  }

  /** A new webhook signing secret, answered this once (the settings are created if need be). */
  async regenerateWebhookSecret(accountId: AccountId, userId: number): Promise<WebhookSecret> {
    const secret = randomToken(32);
    const row = await withTenant(this.db, accountId, async (tx) => {
      const current = await repo.findSettings(tx, accountId);
      return repo.saveSettings(
        tx,
        accountId,
        {
          smtpUrlSealed: current?.smtpUrlSealed ?? null,
          emailRate: current?.emailRate ?? null,
          smsProvider: current?.smsProvider ?? null,
          smsBaseUrl: current?.smsBaseUrl ?? null,
          smsCredentialsSealed: current?.smsCredentialsSealed ?? null,
          smsFrom: current?.smsFrom ?? null,
          smsRate: current?.smsRate ?? null,
          webhookSecretSealed: this.secrets.seal(secret),
          webhookToken: current?.webhookToken ?? randomToken(24),
        },
        userId,
      );
    });
    this.channels.invalidate(accountId);
    return { secret, settings: this.toApi(row, true) };
  }

  // ---- sender profiles --------------------------------------------------------------------

  async profiles(accountId: AccountId): Promise<SenderProfile[]> {
    const found = await withTenant(this.db, accountId, (tx) => repo.listProfiles(tx, accountId));
    return found.map(profileToApi);
  }

  /** The first profile of an account becomes its default. 409 `CONFLICT` for a taken name. */
  async createProfile(accountId: AccountId, body: SenderProfileBody): Promise<SenderProfile> {
    return this.named(() =>
      withTenant(this.db, accountId, async (tx) => {
        const hasDefault = Boolean(await repo.findProfile(tx, accountId));
        const isDefault = body.isDefault === true || !hasDefault;
        if (isDefault) await repo.clearDefault(tx, accountId);
        return profileToApi(
          await repo.insertProfile(tx, accountId, {
            name: body.name,
            fromName: body.fromName,
            fromAddress: body.fromAddress,
            replyTo: body.replyTo ?? null,
            isDefault,
          }),
        );
      }),
    );
  }

  async updateProfile(accountId: AccountId, id: number, body: SenderProfileUpdate): Promise<SenderProfile> {
    return this.named(() =>
      withTenant(this.db, accountId, async (tx) => {
        const current = await mustFindProfile(tx, accountId, id);
        const isDefault = body.isDefault ?? current.isDefault;
        if (isDefault && !current.isDefault) await repo.clearDefault(tx, accountId, id);
        const updated = await repo.updateProfile(tx, accountId, id, {
          name: body.name ?? current.name,
          fromName: body.fromName ?? current.fromName,
          fromAddress: body.fromAddress ?? current.fromAddress,
          replyTo: body.replyTo === undefined ? current.replyTo : body.replyTo,
          isDefault,
        });
        if (!updated) throw notFound('Sender profile');
        return profileToApi(updated);
      }),
    );
  }

  /**
   * Deleting the default makes the oldest remaining profile the default. Serving as a substitute
   * and not `confirm`: 409 SUBSTITUTE_IN_USE (details.usage), nothing deleted; else its substitute
   * rows go with it.
   */
  async deleteProfile(accountId: AccountId, id: number, confirm = false): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      const deleted = await repo.deleteProfile(tx, accountId, id);
      if (!deleted) throw notFound('Sender profile');
      // After the delete (so an unknown id is 404); a 409 here rolls the delete back.
      await releaseSubstitutes(tx, accountId, 'sender_profile', id, confirm);
      if (deleted.isDefault) {
        const [next] = (await repo.listProfiles(tx, accountId)).sort((a, b) => a.id - b.id);
        if (next) await repo.updateProfile(tx, accountId, next.id, { ...next, isDefault: true });
      }
    });
  }

  // ---- test messages ----------------------------------------------------------------------

  /** Sends one email now through the account's channel; a refusal is `ok: false` with the server's words. */
  async testEmail(accountId: AccountId, body: TestEmailBody): Promise<TestSendResult> {
    const profile = await withTenant(this.db, accountId, (tx) =>
      repo.findProfile(
        tx,
        accountId,
        body.senderProfileId === undefined ? undefined : Number(body.senderProfileId),
      ),
    );
    if (body.senderProfileId !== undefined && !profile) throw notFound('Sender profile');
    const from = profile
      ? { name: profile.fromName, address: profile.fromAddress }
      : parseMailFrom(this.config.mailFrom);
    this.channels.invalidate(accountId);
    const settings = await repo.sendingSettings(this.db, this.secrets, accountId);
    const channel = await this.channels.email(accountId);
    const id = `<test.${randomToken(12)}@herald>`;
    try {
      const accepted = await channel.send({
        from,
        replyTo: profile?.replyTo ?? null,
        to: body.to,
        subject: 'Herald test message',
        text: 'This is a test message from Herald. Your email settings work.',
        html: '<p>This is a test message from Herald. Your email settings work.</p>',
        messageId: id,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return {
        ok: true,
        detail:
          channel.kind === 'outbox'
            ? 'No SMTP server is set: the message went to the local outbox.'
            : accepted.response,
      };
    } catch (err) {
      const words = err instanceof EmailSendError || err instanceof Error ? err.message : String(err);
      const password = settings.smtpUrl ? smtpPartsOf(settings.smtpUrl).password : null;
      const platform = this.config.smtpUrl ? smtpPartsOf(this.config.smtpUrl).password : null;
      return { ok: false, detail: scrub(words, [password, platform]) };
    }
  }

  /** Sends one SMS now through the account's provider; 400 CHANNEL_NOT_CONFIGURED without one. */
  async testSms(accountId: AccountId, body: TestSmsBody): Promise<TestSendResult> {
    const to = normalizePhone(body.to);
    if (!to) throw invalid('to', 'not a valid phone number');
    this.channels.invalidate(accountId);
    const settings = await repo.sendingSettings(this.db, this.secrets, accountId);
    const channel = await this.channels.sms(accountId);
    if (!channel || !settings.sms)
      throw new AppError('CHANNEL_NOT_CONFIGURED', 'This account has no SMS provider', { channel: 'sms' });
    try {
      const accepted = await channel.send(
        { to, from: settings.sms.from, body: 'Herald test message: your SMS settings work.' },
        AbortSignal.timeout(20_000),
      );
      return { ok: true, detail: `Accepted by ${settings.sms.provider}: ${accepted.providerMessageId}` };
    } catch (err) {
      const words = err instanceof SmsSendError || err instanceof Error ? err.message : String(err);
      const c = settings.sms.credentials as unknown as Record<string, string | null>;
      return { ok: false, detail: scrub(words, Object.values(c)) };
    }
  }

  private async named<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) === 'sender_profiles_name_key')
        throw new AppError('CONFLICT', 'A sender profile with this name exists', {
          fields: [{ field: 'body.name', message: 'taken' }],
        });
      throw err;
    }
  }
}

async function mustFindProfile(q: Queryable, accountId: AccountId, id: number): Promise<repo.ProfileRow> {
  const found = await repo.findProfile(q, accountId, id);
  if (!found) throw notFound('Sender profile');
  return found;
}

function profileToApi(p: repo.ProfileRow): SenderProfile {
  return {
    id: String(p.id),
    name: p.name,
    fromName: p.fromName,
    fromAddress: p.fromAddress,
    replyTo: p.replyTo,
    isDefault: p.isDefault,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
