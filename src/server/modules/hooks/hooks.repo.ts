// What the webhooks need of an account's messaging settings (written by the sender settings): the
// account a webhook token belongs to, its webhook secret and SMS provider credentials, sealed.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { SmsProvider } from '../../../shared/messaging.ts';

export interface HookAccount {
  accountId: number;
  smsProvider: SmsProvider | null;
  smsCredentialsSealed: string | null;
  webhookSecretSealed: string | null;
}

/**
 * The account whose webhook URLs carry `token`, or null. Read without a tenant scope: the token is
 * what names the account (every later read is scoped to it).
 */
export async function findHookAccount(q: Queryable, token: string): Promise<HookAccount | null> {
  const [row] = await rows<HookAccount>(
    q,
    sql`SELECT account_id AS "accountId", sms_provider AS "smsProvider",
               sms_credentials_sealed AS "smsCredentialsSealed", webhook_secret_sealed AS "webhookSecretSealed"
        FROM messaging_settings WHERE webhook_token = ${token}`,
  );
  return row ? { ...row, accountId: Number(row.accountId) } : null;
}
