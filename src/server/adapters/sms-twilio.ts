// Twilio-compatible SMS: the Messages resource (form-encoded POST, HTTP basic auth with the
// account SID and auth token), status callbacks per message.
import { createHmac } from 'node:crypto';
import type { SmsAccepted, SmsChannel, SmsMessage } from './sms-channel.ts';
import { SmsSendError } from './sms-channel.ts';
import { httpFailure, providerPost, SMS_TIMEOUT_MS, trimBase } from './sms-http.ts';

export const TWILIO_BASE_URL = 'https://api.twilio.com';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Default: the official API. Tests and regional endpoints set their own. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** A Twilio-compatible SMS channel; `key` names the provider account and sender for rate buckets. */
export function twilioChannel(options: TwilioOptions, from: string): SmsChannel {
  const base = trimBase(options.baseUrl ?? TWILIO_BASE_URL);
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const timeoutMs = options.timeoutMs ?? SMS_TIMEOUT_MS;
  return {
    provider: 'twilio',
    key: `sms:twilio:${options.accountSid}:${from}`,
    async send(message: SmsMessage, signal?: AbortSignal): Promise<SmsAccepted> {
      const sender = message.from || from;
      // A Messaging Service SID (MG…) picks the number from its pool instead of one From.
      const form = new URLSearchParams({
        To: message.to,
        [/^MG[0-9a-f]{32}$/i.test(sender) ? 'MessagingServiceSid' : 'From']: sender,
        Body: message.body,
      });
      if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl);
      const answer = await providerPost(
        'Twilio',
        url,
        {
          headers: {
            authorization: auth,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        },
        signal,
        timeoutMs,
      );
      const body = (answer.body ?? {}) as {
        sid?: unknown;
        num_segments?: unknown;
        code?: unknown;
        message?: unknown;
      };
      if (answer.status >= 200 && answer.status < 300) {
        if (typeof body.sid !== 'string')
          throw new SmsSendError('Twilio: accepted without a message sid', 'temporary');
        const segments = Number(body.num_segments);
        return {
          providerMessageId: body.sid,
          ...(Number.isFinite(segments) && segments > 0 ? { segments } : {}),
        };
      }
      const detail = typeof body.message === 'string' ? body.message : undefined;
      const code =
        typeof body.code === 'number' || typeof body.code === 'string' ? String(body.code) : undefined;
      if (answer.status === 429 || answer.status >= 500) throw httpFailure('Twilio', answer, detail);
      // 401/403: wrong credentials; 400/404: this message (invalid number, unverified sender, …).
      throw new SmsSendError(
        `Twilio refused the message (HTTP ${answer.status}${code ? `, code ${code}` : ''})${detail ? `: ${detail}` : ''}`,
        'permanent',
        undefined,
        code ?? String(answer.status),
      );
    },
  };
}

/**
 * Twilio's X-Twilio-Signature for a callback: HMAC-SHA1 under the auth token of the full URL
 * followed by each POST parameter's name and value, sorted by name; base64.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}
