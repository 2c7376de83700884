// A local HTTP server standing in for the SMS providers: Twilio's Messages resource and Vonage's
// SMS API, with their credentials checked, every request recorded, switchable (globally or per
// number) to 500, 429 with Retry-After, a refusal or no answer at all, and able to post real,
// signed status callbacks (Twilio form + X-Twilio-Signature; Vonage DLR JSON, signed).
import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';

export type StubProvider = 'twilio' | 'vonage';

/** How the stub answers a send. */
export type StubMode =
  | { mode: 'accept' }
  /** HTTP 500 (or `status`). */
  | { mode: 'error'; status?: number }
  /** HTTP 429 with `Retry-After` (default "1"; seconds or an HTTP date). Vonage: `vonageStatus1` answers 200 with status "1" instead. */
  | { mode: 'throttle'; retryAfter?: string; vonageStatus1?: boolean }
  /** The provider refuses this message: Twilio 400 {code 21211}; Vonage status "3" (Invalid to). */
  | { mode: 'reject' }
  /** Never answers (until the client gives up or the stub closes). */
  | { mode: 'hang' };

/** One send request that reached the stub (answered or not). */
export interface StubRequest {
  provider: StubProvider;
  /** Digits of the recipient without "+". */
  to: string;
  from: string;
  body: string;
  /** Twilio StatusCallback / Vonage callback. */
  statusCallback: string | undefined;
  /** Vonage client-ref. */
  reference: string | undefined;
  /** Vonage: type=unicode was set. */
  unicode: boolean;
  /** The provider message id given (accepted only). */
  id: string | undefined;
  /** The HTTP status the stub answered (0 while hanging). */
  status: number;
  authorized: boolean;
  /** The raw form/JSON parameters. */
  params: Record<string, string>;
}

export interface SmsStub {
  /** Base URL for both providers (`baseUrl` of the adapters). */
  url: string;
  twilio: { accountSid: string; authToken: string };
  vonage: { apiKey: string; apiSecret: string; signatureSecret: string };
  /** Every send request, in order of arrival. */
  requests: StubRequest[];
  /** Requests the stub accepted (2xx with an id). */
  accepted(): StubRequest[];
  /** Sets the mode for every number without one of its own (`times`: only the next n requests). */
  setMode(mode: StubMode, times?: number): void;
  /** Sets the mode for one number (E.164 or digits); null clears it. */
  setNumberMode(to: string, mode: StubMode | null, times?: number): void;
  reset(clear?: boolean): void;
  /** Resolves when at least `n` requests were accepted; rejects after `timeoutMs` (default 10 s). */
  waitFor(n: number, timeoutMs?: number): Promise<StubRequest[]>;
  /** Resolves when at least `n` requests arrived (answered or hanging). */
  waitForRequests(n: number, timeoutMs?: number): Promise<StubRequest[]>;
  /**
   * Posts a status callback for an accepted message to its callback URL (or `url`), signed as the
   * provider signs it (`badSignature` spoils the signature). Twilio statuses: queued, sent,
   * delivered, undelivered, failed; Vonage: delivered, failed, rejected, expired, buffered, accepted.
   * Answers the receiver's HTTP status and body.
   */
  sendStatus(
    request: StubRequest,
    status: string,
    options?: { url?: string; badSignature?: boolean; errorCode?: string; extra?: Record<string, string> },
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

interface Rule {
  mode: StubMode;
  left: number;
}

const digits = (phone: string) => phone.replace(/\D/g, '');

/** Twilio's request signature: HMAC-SHA1(authToken, url + each sorted param name + value), base64. */
export function stubTwilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Vonage's signed-webhook `sig`: HMAC-SHA256 hex of "&k=v…" over the sorted params (& and = in values → _). */
export function stubVonageSignature(secret: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `&${k}=${String(params[k]).replace(/[&=]/g, '_')}`)
    .join('');
  return createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/** Starts the stub on 127.0.0.1 with a free port and fresh credentials. */
export async function startSmsStub(): Promise<SmsStub> {
  const twilio = {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
  };
  const vonage = {
    apiKey: randomBytes(4).toString('hex'),
    apiSecret: randomBytes(8).toString('hex'),
    signatureSecret: randomBytes(16).toString('hex'),
  };
  const requests: StubRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let global: Rule = { mode: { mode: 'accept' }, left: Infinity };
  const perNumber = new Map<string, Rule>();
  const sockets = new Set<Socket>();
  let nextId = 1;

  const modeFor = (to: string): StubMode => {
    const rule = perNumber.get(to);
    const chosen = rule && rule.left > 0 ? rule : global.left > 0 ? global : undefined;
    if (!chosen) return { mode: 'accept' };
    if (chosen.left !== Infinity) chosen.left--;
    return chosen.mode;
  };
  const acceptedCount = () => requests.filter((r) => r.id !== undefined).length;
  const notify = () => {
    const n = acceptedCount();
    for (const w of waiters.splice(0)) {
      if (n >= w.n) w.resolve();
      else waiters.push(w);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (!res.destroyed)
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const path = new URL(req.url ?? '/', 'http://stub').pathname;
      const twilioMatch = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
      if (req.method === 'POST' && twilioMatch) return handleTwilio(twilioMatch[1] ?? '');
      if (req.method === 'POST' && path === '/sms/json') return handleVonage();
      return json(404, { message: 'not found' });

      function record(r: Omit<StubRequest, 'status' | 'id'>): StubRequest {
        const entry: StubRequest = { ...r, id: undefined, status: 0 };
        requests.push(entry);
        return entry;
      }

      function handleTwilio(sid: string) {
        const params = Object.fromEntries(new URLSearchParams(text));
        const expected = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`;
        const authorized =
          req.headers.authorization === expected && decodeURIComponent(sid) === twilio.accountSid;
        const entry = record({
          provider: 'twilio',
          to: digits(params.To ?? ''),
          from: params.From ?? params.MessagingServiceSid ?? '',
          body: params.Body ?? '',
          statusCallback: params.StatusCallback,
          reference: undefined,
          unicode: false,
          authorized,
          params,
        });
        if (!authorized) {
          entry.status = 401;
          return json(401, { code: 20003, message: 'Authenticate', status: 401 });
        }
        const mode = modeFor(entry.to);
        switch (mode.mode) {
          case 'hang':
            return;
          case 'error':
            entry.status = mode.status ?? 500;
            return json(entry.status, {
              code: 20500,
              message: 'Internal Server Error',
              status: entry.status,
            });
          case 'throttle':
            entry.status = 429;
            return json(
              429,
              { code: 20429, message: 'Too Many Requests', status: 429 },
              { 'retry-after': mode.retryAfter ?? '1' },
            );
          case 'reject':
            entry.status = 400;
            return json(400, {
              code: 21211,
              message: `The 'To' number ${params.To ?? ''} is not a valid phone number.`,
              status: 400,
            });
          case 'accept': {
            entry.status = 201;
            entry.id = `SM${String(nextId++).padStart(32, '0')}`;
            json(201, {
              sid: entry.id,
              status: 'queued',
              num_segments: String(Math.max(1, Math.ceil(entry.body.length / 153))),
              to: params.To,
              from: params.From,
            });
            return notify();
          }
        }
      }

      function handleVonage() {
        const isJson = (req.headers['content-type'] ?? '').includes('json');
        const params: Record<string, string> = isJson
          ? Object.fromEntries(
              Object.entries(JSON.parse(text || '{}') as Record<string, unknown>).map(([k, v]) => [
                k,
                String(v),
              ]),
            )
          : Object.fromEntries(new URLSearchParams(text));
        const authorized = params.api_key === vonage.apiKey && params.api_secret === vonage.apiSecret;
        const entry = record({
          provider: 'vonage',
          to: digits(params.to ?? ''),
          from: params.from ?? '',
          body: params.text ?? '',
          statusCallback: params.callback,
          reference: params['client-ref'],
          unicode: params.type === 'unicode',
          authorized,
          params,
        });
        const refusal = (status: string, errorText: string) => {
          entry.status = 200;
          json(200, { 'message-count': '1', messages: [{ to: entry.to, status, 'error-text': errorText }] });
        };
        if (!authorized) return refusal('4', 'Bad Credentials');
        const mode = modeFor(entry.to);
        switch (mode.mode) {
          case 'hang':
            return;
          case 'error':
            entry.status = mode.status ?? 500;
            return json(entry.status, { error: 'internal' });
          case 'throttle':
            if (mode.vonageStatus1)
              return refusal('1', 'Throughput Rate Exceeded - please wait [ 1000 ] and retry');
            entry.status = 429;
            return json(429, { error: 'throttled' }, { 'retry-after': mode.retryAfter ?? '1' });
          case 'reject':
            return refusal('3', 'Invalid to parameter');
          case 'accept': {
            entry.status = 200;
            entry.id = `${String(nextId++).padStart(16, '0')}`;
            json(200, {
              'message-count': '1',
              messages: [
                {
                  to: entry.to,
                  'message-id': entry.id,
                  status: '0',
                  'remaining-balance': '10.0',
                  'message-price': '0.05',
                  network: '26201',
                  ...(entry.reference ? { 'client-ref': entry.reference } : {}),
                },
              ],
            });
            return notify();
          }
        }
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    twilio,
    vonage,
    requests,
    accepted: () => requests.filter((r) => r.id !== undefined),
    setMode(mode, times) {
      global = { mode, left: times ?? Infinity };
    },
    setNumberMode(to, mode, times) {
      if (mode) perNumber.set(digits(to), { mode, left: times ?? Infinity });
      else perNumber.delete(digits(to));
    },
    reset(clear = false) {
      global = { mode: { mode: 'accept' }, left: Infinity };
      perNumber.clear();
      if (clear) requests.length = 0;
    },
    waitFor(n, timeoutMs = 10_000) {
      if (acceptedCount() >= n) return Promise.resolve(requests.filter((r) => r.id !== undefined));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`SMS stub: ${acceptedCount()} of ${n} messages accepted`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests.filter((r) => r.id !== undefined));
          },
        });
      });
    },
    async waitForRequests(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > until) throw new Error(`SMS stub: ${requests.length} of ${n} requests arrived`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return requests.slice();
    },
    async sendStatus(request, status, options = {}) {
      const url = options.url ?? request.statusCallback;
      if (!url) throw new Error('SMS stub: no callback URL for this message');
      if (!request.id) throw new Error('SMS stub: the message was not accepted');
      if (request.provider === 'twilio') {
        const params: Record<string, string> = {
          AccountSid: twilio.accountSid,
          MessageSid: request.id,
          SmsSid: request.id,
          MessageStatus: status,
          SmsStatus: status,
          To: `+${request.to}`,
          From: request.from,
          ApiVersion: '2010-04-01',
          ...(options.errorCode ? { ErrorCode: options.errorCode } : {}),
          ...options.extra,
        };
        let signature = stubTwilioSignature(twilio.authToken, url, params);
        if (options.badSignature) signature = stubTwilioSignature('wrong-token', url, params);
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
        });
        return { status: res.status, body: await res.text() };
      }
      const params: Record<string, string> = {
        msisdn: request.to,
        to: request.from,
        'network-code': '26201',
        messageId: request.id,
        price: '0.05',
        status,
        scts: '2611250900',
        'err-code': options.errorCode ?? (status === 'delivered' ? '0' : '1'),
        'api-key': vonage.apiKey,
        'message-timestamp': new Date().toISOString().replace('T', ' ').slice(0, 19),
        timestamp: String(Math.floor(Date.now() / 1000)),
        nonce: randomBytes(8).toString('hex'),
        ...(request.reference ? { 'client-ref': request.reference } : {}),
        ...options.extra,
      };
      params.sig = stubVonageSignature(
        options.badSignature ? 'wrong-secret' : vonage.signatureSecret,
        params,
      );
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      return { status: res.status, body: await res.text() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
