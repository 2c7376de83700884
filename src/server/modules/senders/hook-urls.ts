// The URLs providers call for an account: unguessable by the token in their path.
import type { SmsProvider } from '../../../shared/messaging.ts';
import type { HookUrls } from '../../../shared/senders.ts';

/** The webhook URLs of the account with `token`; the SMS ones only when it has a provider. */
export function hookUrls(publicUrl: string, token: string, provider: SmsProvider | null): HookUrls {
  const base = `${publicUrl.replace(/\/+$/, '')}/api/hooks/${encodeURIComponent(token)}`;
  return {
    emailEvents: `${base}/email/events`,
    bounces: `${base}/bounces`,
    smsStatus: provider ? `${base}/sms/${provider}/status` : null,
    smsInbound: provider ? `${base}/sms/${provider}/inbound` : null,
  };
}
