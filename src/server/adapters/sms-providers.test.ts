// The SMS adapters against the local provider stub: real HTTP, both provider shapes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startSmsStub,
  stubTwilioSignature,
  stubVonageSignature,
  type SmsStub,
} from '../../../test/helpers/sms-provider-stub.ts';
import { SmsSendError, type SmsChannel } from './sms-channel.ts';
import { twilioChannel, twilioSignature } from './sms-twilio.ts';
import { isGsm7, vonageChannel, vonageSignature } from './sms-vonage.ts';
import { retryAfterMs } from './sms-http.ts';

let stub: SmsStub;
beforeAll(async () => {
  stub = await startSmsStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => stub.reset(true));

async function failure(channel: SmsChannel, to: string, signal?: AbortSignal): Promise<SmsSendError> {
  const err: unknown = await channel.send({ to, from: '', body: 'Hallo' }, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof SmsSendError)) throw new Error(`expected an SmsSendError, got ${String(err)}`);
  return err;
}

const providers = {
  twilio: (timeoutMs?: number) =>
    twilioChannel(
      { ...stub.twilio, baseUrl: stub.url, ...(timeoutMs ? { timeoutMs } : {}) },
      '+4915100000000',
    ),
  vonage: (timeoutMs?: number) =>
    vonageChannel(
      {
        apiKey: stub.vonage.apiKey,
        apiSecret: stub.vonage.apiSecret,
        baseUrl: stub.url,
        ...(timeoutMs ? { timeoutMs } : {}),
      },
      'Herald',
    ),
};

describe.each(['twilio', 'vonage'] as const)('%s adapter against the stub', (provider) => {
  it('sends: the provider gets the message, Herald gets its id', async () => {
    const channel = providers[provider]();
    const accepted = await channel.send({
      to: '+4915112345678',
      from: '',
      body: 'Hallo Anna',
      statusCallbackUrl: 'http://127.0.0.1:9/hooks/status',
      reference: 'msg-42',
    });
    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0]!;
    expect(request).toMatchObject({
      provider,
      to: '4915112345678',
      body: 'Hallo Anna',
      authorized: true,
      statusCallback: 'http://127.0.0.1:9/hooks/status',
    });
    expect(accepted.providerMessageId).toBe(request.id);
    if (provider === 'vonage') {
      expect(request.reference).toBe('msg-42');
      expect(request.from).toBe('Herald');
      expect(request.unicode).toBe(false);
    } else {
      expect(request.from).toBe('+4915100000000');
    }
  });

  it('refused number → permanent, with the provider code', async () => {
    stub.setNumberMode('+4915100000001', { mode: 'reject' });
    const err = await failure(providers[provider](), '+4915100000001');
    expect(err.kind).toBe('permanent');
    expect(err.code).toBe(provider === 'twilio' ? '21211' : '3');
    // Other numbers still go through.
    await expect(
      providers[provider]().send({ to: '+4915100000002', from: '', body: 'x' }),
    ).resolves.toBeTruthy();
  });

  it('429 with Retry-After in seconds → rate_limited with the wait', async () => {
    stub.setMode({ mode: 'throttle', retryAfter: '7' });
    const err = await failure(providers[provider](), '+4915100000003');
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(7_000);
  });

  it('429 with Retry-After as an HTTP date → rate_limited with about that wait', async () => {
    stub.setMode({ mode: 'throttle', retryAfter: new Date(Date.now() + 30_000).toUTCString() });
    const err = await failure(providers[provider](), '+4915100000003');
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(20_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('500 → temporary', async () => {
    stub.setMode({ mode: 'error' }, 1);
    const err = await failure(providers[provider](), '+4915100000004');
    expect(err.kind).toBe('temporary');
    // The mode was for one request only: the next one is accepted.
    await expect(
      providers[provider]().send({ to: '+4915100000004', from: '', body: 'x' }),
    ).resolves.toBeTruthy();
  });

  it('a provider that hangs: the caller’s abort ends the call', async () => {
    stub.setMode({ mode: 'hang' });
    const controller = new AbortController();
    const sending = providers[provider]().send(
      { to: '+4915100000005', from: '', body: 'x' },
      controller.signal,
    );
    await stub.waitForRequests(1);
    controller.abort(new Error('paused'));
    await expect(sending).rejects.toThrow('paused');
  });

  it('a provider that hangs: the time limit makes it temporary', async () => {
    stub.setMode({ mode: 'hang' });
    const err = await failure(providers[provider](200), '+4915100000006');
    expect(err.kind).toBe('temporary');
  });

  it('wrong credentials → permanent, and no secret in the error message', async () => {
    const channel =
      provider === 'twilio'
        ? twilioChannel(
            { accountSid: stub.twilio.accountSid, authToken: 'wrong-token-123', baseUrl: stub.url },
            '+491',
          )
        : vonageChannel(
            { apiKey: stub.vonage.apiKey, apiSecret: 'wrong-secret-123', baseUrl: stub.url },
            'Herald',
          );
    const err = await failure(channel, '+4915100000007');
    expect(err.kind).toBe('permanent');
    expect(err.message).not.toContain('wrong-');
    expect(err.message).not.toContain(stub.url);
  });

  it('connection refused → temporary', async () => {
    const channel =
      provider === 'twilio'
        ? twilioChannel({ ...stub.twilio, baseUrl: 'http://127.0.0.1:9' }, '+491')
        : vonageChannel({ ...stub.vonage, baseUrl: 'http://127.0.0.1:9' }, 'Herald');
    const err = await failure(channel, '+4915100000008');
    expect(err.kind).toBe('temporary');
    expect(err.message).not.toContain(provider === 'twilio' ? stub.twilio.authToken : stub.vonage.apiSecret);
  });
});

describe('provider specifics', () => {
  it('Vonage: status 1 (throttled) in a 200 answer → rate_limited', async () => {
    stub.setMode({ mode: 'throttle', vonageStatus1: true });
    const err = await failure(providers.vonage(), '+4915100000009');
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(0);
  });

  it('Vonage: a text outside GSM-7 goes as unicode', async () => {
    await providers.vonage().send({ to: '+4915100000010', from: '', body: 'Grüße 🙂' });
    await providers.vonage().send({ to: '+4915100000011', from: '', body: 'Grüße €' });
    expect(stub.requests.map((r) => r.unicode)).toEqual([true, false]);
    expect(isGsm7('Ça coûte 5 €')).toBe(false); // û is not in GSM-7
    expect(isGsm7('Straße, Ärger, {x}')).toBe(true);
  });

  it('Twilio: a Messaging Service SID as sender goes as MessagingServiceSid', async () => {
    const service = `MG${'a'.repeat(32)}`;
    await twilioChannel({ ...stub.twilio, baseUrl: stub.url }, service).send({
      to: '+4915100000013',
      from: '',
      body: 'x',
    });
    expect(stub.requests[0]?.params).toMatchObject({ MessagingServiceSid: service });
    expect(stub.requests[0]?.params.From).toBeUndefined();
  });

  it('Twilio: segments from the answer', async () => {
    const accepted = await providers.twilio().send({ to: '+4915100000012', from: '', body: 'x'.repeat(200) });
    expect(accepted.segments).toBe(2);
  });

  it('Retry-After parsing: seconds, date, garbage', () => {
    expect(retryAfterMs('2')).toBe(2_000);
    expect(retryAfterMs(null)).toBe(1_000);
    expect(retryAfterMs('soon')).toBe(1_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  });

  it('the exported signature helpers agree with the stub’s (what callbacks carry)', () => {
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+49151' };
    expect(twilioSignature('tok', 'https://h/x', params)).toBe(
      stubTwilioSignature('tok', 'https://h/x', params),
    );
    const dlr = { messageId: '1', status: 'delivered', note: 'a&b=c' };
    expect(vonageSignature('sec', dlr)).toBe(stubVonageSignature('sec', dlr));
    // Twilio's documented example (https://www.twilio.com/docs/usage/security#validating-requests).
    expect(
      twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', {
        CallSid: 'CA1234567890ABCDE',
        Caller: '+12349013030',
        Digits: '1234',
        From: '+12349013030',
        To: '+18005551212',
      }),
    ).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });
});
