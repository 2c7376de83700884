// Vonage (Nexmo) SMS API: POST /sms/json with the key and secret in the body, one answer entry per
// message part; status "0" is success, "1" throttled, everything else a refusal with error-text.
import { createHmac } from 'node:crypto';
import type { SmsAccepted, SmsChannel, SmsMessage } from './sms-channel.ts';
import { SmsSendError } from './sms-channel.ts';
import { httpFailure, providerPost, SMS_TIMEOUT_MS, trimBase } from './sms-http.ts';

export const VONAGE_BASE_URL = 'https://rest.nexmo.com';

export interface VonageOptions {
  apiKey: string;
  apiSecret: string;
  baseUrl?: string;
  timeoutMs?: number;
}

// GSM 03.38 basic set plus its extension table (each extension character costs two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const GSM = new Set([...GSM_BASIC, ...GSM_EXTENDED]);

/** True when every character of `text` is in the GSM-7 alphabet (else the text goes as UCS-2). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM.has(ch)) return false;
  return true;
}

interface VonageAnswer {
  'message-count'?: string;
  messages?: { status?: string; 'message-id'?: string; 'error-text'?: string }[];
}

/** A Vonage SMS API channel. */
export function vonageChannel(options: VonageOptions, from: string): SmsChannel {
  const url = `${trimBase(options.baseUrl ?? VONAGE_BASE_URL)}/sms/json`;
  const timeoutMs = options.timeoutMs ?? SMS_TIMEOUT_MS;
  return {
    provider: 'vonage',
    key: `sms:vonage:${options.apiKey}:${from}`,
    async send(message: SmsMessage, signal?: AbortSignal): Promise<SmsAccepted> {
      const form = new URLSearchParams({
        api_key: options.apiKey,
        api_secret: options.apiSecret,
        from: (message.from || from).replace(/^\+/, ''),
        to: message.to.replace(/^\+/, ''),
        text: message.body,
      });
      if (!isGsm7(message.body)) form.set('type', 'unicode');
      if (message.reference) form.set('client-ref', message.reference.slice(0, 100));
      if (message.statusCallbackUrl) form.set('callback', message.statusCallbackUrl);
      const answer = await providerPost(
        'Vonage',
        url,
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
        },
        signal,
        timeoutMs,
      );
      if (answer.status < 200 || answer.status >= 300) {
        if (answer.status === 429 || answer.status >= 500) throw httpFailure('Vonage', answer);
        throw new SmsSendError(
          `Vonage refused the request (HTTP ${answer.status})`,
          'permanent',
          undefined,
          String(answer.status),
        );
      }
      const body = (answer.body ?? {}) as VonageAnswer;
      const parts = body.messages ?? [];
      if (!parts.length) throw new SmsSendError('Vonage: answer without messages', 'temporary');
      const failed = parts.find((p) => p.status !== '0');
      if (failed) {
        const status = String(failed.status ?? '');
        const text = failed['error-text'] ?? 'unknown error';
        if (status === '1')
          throw new SmsSendError(`Vonage: throttled: ${text}`, 'rate_limited', 1_000, status);
        // 5 (internal error) is Vonage's own trouble: worth another try.
        const kind = status === '5' ? 'temporary' : 'permanent';
        throw new SmsSendError(
          `Vonage refused the message (status ${status}): ${text}`,
          kind,
          undefined,
          status,
        );
      }
      const id = parts[0]?.['message-id'];
      if (!id) throw new SmsSendError('Vonage: accepted without a message-id', 'temporary');
      return { providerMessageId: id, segments: parts.length };
    },
  };
}

/**
 * Vonage's signed-webhook `sig` (HMAC-SHA256 method): hex HMAC under the signature secret of
 * "&name=value" for every parameter but `sig`, sorted by name, with "&" and "=" in values as "_".
 */
export function vonageSignature(signatureSecret: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `&${k}=${String(params[k]).replace(/[&=]/g, '_')}`)
    .join('');
  return createHmac('sha256', signatureSecret).update(data, 'utf8').digest('hex');
}
