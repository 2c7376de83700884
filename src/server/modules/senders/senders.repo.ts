// SQL of an account's sender settings (`messaging_settings`) and sender profiles. Secrets stay
// sealed here; `sendingSettings` opens them for the channel resolver only.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import type { SmsProvider } from '../../../shared/messaging.ts';

/** The settings row as stored (secrets sealed). */
export interface SettingsRow {
  smtpUrlSealed: string | null;
  emailRate: number | null;
  smsProvider: SmsProvider | null;
  smsBaseUrl: string | null;
  smsCredentialsSealed: string | null;
  smsFrom: string | null;
  smsRate: number | null;
  webhookSecretSealed: string | null;
  webhookToken: string;
  updatedAt: string;
}

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}
export interface VonageCredentials {
  apiKey: string;
  apiSecret: string;
  signatureSecret: string | null;
}

/** An account's SMS provider with its opened credentials. */
export type SmsSending =
  | { provider: 'twilio'; baseUrl: string | null; from: string; credentials: TwilioCredentials }
  | { provider: 'vonage'; baseUrl: string | null; from: string; credentials: VonageCredentials };

/** What the channel resolver and the webhooks need: the account's settings with secrets opened. */
export interface SendingSettings {
  /** The account's own SMTP URL (with its password), or null for the platform default. */
  smtpUrl: string | null;
  /** Messages per second for email (null: the platform's setting). */
  emailRate: number | null;
  sms: SmsSending | null;
  smsRate: number | null;
  /** The public part of the webhook URLs, null before the settings were first saved. */
  webhookToken: string | null;
  /** Signs and checks the account's email-event webhooks; null until generated. */
  webhookSecret: string | null;
}

const COLUMNS = sql`smtp_url_sealed AS "smtpUrlSealed", email_rate AS "emailRate", sms_provider AS "smsProvider",
  sms_base_url AS "smsBaseUrl", sms_credentials_sealed AS "smsCredentialsSealed", sms_from AS "smsFrom",
  sms_rate AS "smsRate", webhook_secret_sealed AS "webhookSecretSealed", webhook_token AS "webhookToken",
  updated_at AS "updatedAt"`;

function toRow(r: SettingsRow): SettingsRow {
  return {
    ...r,
    emailRate: r.emailRate === null ? null : Number(r.emailRate),
    smsRate: r.smsRate === null ? null : Number(r.smsRate),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

export async function findSettings(q: Queryable, accountId: AccountId): Promise<SettingsRow | undefined> {
  const [found] = await rows<SettingsRow>(
    q,
    sql`SELECT ${COLUMNS} FROM messaging_settings WHERE account_id = ${accountId}`,
  );
  return found && toRow(found);
}

/** The account whose webhook URLs carry `token` (webhook routes), or undefined. */
export async function accountOfWebhookToken(q: Queryable, token: string): Promise<AccountId | undefined> {
  const [found] = await rows<{ accountId: string }>(
    q,
    sql`SELECT account_id AS "accountId" FROM messaging_settings WHERE webhook_token = ${token}`,
  );
  return found ? (Number(found.accountId) as AccountId) : undefined;
}

/** Writes the whole row (insert on first save). */
export async function saveSettings(
  q: Queryable,
  accountId: AccountId,
  row: Omit<SettingsRow, 'updatedAt'>,
  userId: number | null,
): Promise<SettingsRow> {
  const [saved] = await rows<SettingsRow>(
    q,
    sql`INSERT INTO messaging_settings AS s (account_id, smtp_url_sealed, email_rate, sms_provider, sms_base_url,
          sms_credentials_sealed, sms_from, sms_rate, webhook_secret_sealed, webhook_token, updated_at, updated_by)
        VALUES (${accountId}, ${row.smtpUrlSealed}, ${row.emailRate}, ${row.smsProvider}, ${row.smsBaseUrl},
          ${row.smsCredentialsSealed}, ${row.smsFrom}, ${row.smsRate}, ${row.webhookSecretSealed}, ${row.webhookToken},
          now(), ${userId})
        ON CONFLICT (account_id) DO UPDATE SET
          smtp_url_sealed = EXCLUDED.smtp_url_sealed, email_rate = EXCLUDED.email_rate,
          sms_provider = EXCLUDED.sms_provider, sms_base_url = EXCLUDED.sms_base_url,
          sms_credentials_sealed = EXCLUDED.sms_credentials_sealed, sms_from = EXCLUDED.sms_from,
          sms_rate = EXCLUDED.sms_rate, webhook_secret_sealed = EXCLUDED.webhook_secret_sealed,
          webhook_token = s.webhook_token, updated_at = now(), updated_by = EXCLUDED.updated_by
        RETURNING ${COLUMNS}`,
  );
  if (!saved) throw new Error('messaging settings not saved');
  return toRow(saved);
}

/** Opens what is sealed; a secret that no longer opens (changed HERALD_SECRET) counts as absent. */
export function openSettings(row: SettingsRow | undefined, secrets: SecretBox): SendingSettings {
  if (!row)
    return {
      smtpUrl: null,
      emailRate: null,
      sms: null,
      smsRate: null,
      webhookToken: null,
      webhookSecret: null,
    };
  const open = (sealed: string | null): string | null => {
    if (!sealed) return null;
    try {
      return secrets.open(sealed);
    } catch {
      return null;
    }
  };
  let sms: SmsSending | null = null;
  const credentials = open(row.smsCredentialsSealed);
  if (row.smsProvider && credentials && row.smsFrom) {
    const c = JSON.parse(credentials) as Record<string, string | null>;
    sms =
      row.smsProvider === 'twilio'
        ? {
            provider: 'twilio',
            baseUrl: row.smsBaseUrl,
            from: row.smsFrom,
            credentials: { accountSid: c.accountSid ?? '', authToken: c.authToken ?? '' },
          }
        : {
            provider: 'vonage',
            baseUrl: row.smsBaseUrl,
            from: row.smsFrom,
            credentials: {
              apiKey: c.apiKey ?? '',
              apiSecret: c.apiSecret ?? '',
              signatureSecret: c.signatureSecret ?? null,
            },
          };
  }
  return {
    smtpUrl: open(row.smtpUrlSealed),
    emailRate: row.emailRate,
    sms,
    smsRate: row.smsRate,
    webhookToken: row.webhookToken,
    webhookSecret: open(row.webhookSecretSealed),
  };
}

/** The account's resolved sending settings with secrets opened (channel resolver, webhooks). */
export async function sendingSettings(
  q: Queryable,
  secrets: SecretBox,
  accountId: AccountId,
): Promise<SendingSettings> {
  return openSettings(await findSettings(q, accountId), secrets);
}

// ---- sender profiles ----------------------------------------------------------------------

export interface ProfileRow {
  id: number;
  name: string;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

const PROFILE_COLUMNS = sql`id, name, from_name AS "fromName", from_address AS "fromAddress", reply_to AS "replyTo",
  is_default AS "isDefault", created_at AS "createdAt", updated_at AS "updatedAt"`;

function toProfile(r: ProfileRow): ProfileRow {
  return {
    ...r,
    id: Number(r.id),
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

export async function listProfiles(q: Queryable, accountId: AccountId): Promise<ProfileRow[]> {
  const found = await rows<ProfileRow>(
    q,
    sql`SELECT ${PROFILE_COLUMNS} FROM sender_profiles WHERE account_id = ${accountId}
        ORDER BY is_default DESC, lower(name), id`,
  );
  return found.map(toProfile);
}

/** The profile `id`, or the account's default when `id` is undefined. */
export async function findProfile(
  q: Queryable,
  accountId: AccountId,
  id?: number,
): Promise<ProfileRow | undefined> {
  const where = id === undefined ? sql`is_default` : sql`id = ${id}`;
  const [found] = await rows<ProfileRow>(
    q,
    sql`SELECT ${PROFILE_COLUMNS} FROM sender_profiles WHERE account_id = ${accountId} AND ${where}`,
  );
  return found && toProfile(found);
}

export interface ProfileValues {
  name: string;
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  isDefault: boolean;
}

/** Clears the default flag of the account's other profiles (before one becomes the default). */
export async function clearDefault(q: Queryable, accountId: AccountId, exceptId?: number): Promise<void> {
  await q.execute(
    sql`UPDATE sender_profiles SET is_default = false
        WHERE account_id = ${accountId} AND is_default ${exceptId === undefined ? sql`` : sql`AND id <> ${exceptId}`}`,
  );
}

export async function insertProfile(
  q: Queryable,
  accountId: AccountId,
  v: ProfileValues,
): Promise<ProfileRow> {
  const [created] = await rows<ProfileRow>(
    q,
    sql`INSERT INTO sender_profiles (account_id, name, from_name, from_address, reply_to, is_default)
        VALUES (${accountId}, ${v.name}, ${v.fromName}, ${v.fromAddress}, ${v.replyTo}, ${v.isDefault})
        RETURNING ${PROFILE_COLUMNS}`,
  );
  if (!created) throw new Error('sender profile not created');
  return toProfile(created);
}

export async function updateProfile(
  q: Queryable,
  accountId: AccountId,
  id: number,
  v: ProfileValues,
): Promise<ProfileRow | undefined> {
  const [updated] = await rows<ProfileRow>(
    q,
    sql`UPDATE sender_profiles SET name = ${v.name}, from_name = ${v.fromName}, from_address = ${v.fromAddress},
          reply_to = ${v.replyTo}, is_default = ${v.isDefault}, updated_at = now()
        WHERE account_id = ${accountId} AND id = ${id}
        RETURNING ${PROFILE_COLUMNS}`,
  );
  return updated && toProfile(updated);
}

export async function deleteProfile(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<ProfileRow | undefined> {
  const [deleted] = await rows<ProfileRow>(
    q,
    sql`DELETE FROM sender_profiles WHERE account_id = ${accountId} AND id = ${id} RETURNING ${PROFILE_COLUMNS}`,
  );
  return deleted && toProfile(deleted);
}
