// What the SMS provider adapters share: one HTTP call with a time limit and the caller's abort
// signal, Retry-After parsing, and the mapping of HTTP failures to SmsSendError kinds.
import { SmsSendError } from './sms-channel.ts';

/** Default time limit of one provider call. */
export const SMS_TIMEOUT_MS = 15_000;

/** Retry-After (seconds or an HTTP date) in milliseconds; `fallbackMs` when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now(), fallbackMs = 1_000): number {
  if (!value) return fallbackMs;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return fallbackMs;
  return Math.max(0, at - now);
}

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/**
 * POSTs to a provider. Network errors and the time limit are `temporary`; an abort by the caller
 * rethrows the signal's reason. `label` names the provider in messages (never the URL: some carry
 * credentials in their body or path).
 */
export async function providerPost(
  label: string,
  url: string,
  init: { headers: Record<string, string>; body: string },
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<ProviderAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: combined });
    text = await res.text();
  } catch (err) {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Aborted');
    if (timeout.aborted) throw new SmsSendError(`${label}: no answer within ${timeoutMs} ms`, 'temporary');
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new SmsSendError(`${label}: connection failed${cause ? ` (${cause})` : ''}`, 'temporary');
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** 429 → rate_limited with the wait; 5xx (and other unexpected answers) → temporary. */
export function httpFailure(label: string, answer: ProviderAnswer, detail?: string): SmsSendError {
  const words = detail ? `: ${detail}` : '';
  if (answer.status === 429)
    return new SmsSendError(
      `${label}: too many requests${words}`,
      'rate_limited',
      retryAfterMs(answer.headers.get('retry-after')),
      '429',
    );
  return new SmsSendError(
    `${label}: HTTP ${answer.status}${words}`,
    'temporary',
    undefined,
    String(answer.status),
  );
}

/** The base URL without a trailing slash. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
