// Bulk email and bulk SMS at volume (issue 12, "Benchmark"): N recipients (default 100,000;
// `--recipients N` or BENCH_MESSAGING_RECIPIENTS), one template with merge fields, sent end to end
// through the HTTP API (create → completed) by the Herald in this process (API and worker), beside
// the bare client doing the same sends in the same run:
//   bulk_email  to a loopback SMTP server that accepts and discards, beside bare nodemailer sending
//               the same rendered messages over a pool of as many connections as Herald's channel;
//   bulk_sms    to a local HTTP stub of Twilio's Messages resource, beside bare undici posting the
//               same requests with as many requests in flight as Herald's dispatcher;
//   render      merges per second of the template alone (one core);
//   health_p95_during_send  the health check's p95 while the two sends run (baseline: idle p95);
//   rss_peak    this process's peak RSS during the sends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { Pool } from 'undici';
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../src/server/db/types.ts';
import { compileEmail, renderEmail } from '../src/server/modules/templates/email-compose.ts';
import { startBenchHerald, createBenchAccount, logInBench } from './bench-herald.ts';
import { idleSamples, probe, runAction, type Api, type Samples } from './bulk-api.ts';
import { latency, percentile, progress, round, settle, throughput, type Metrics } from './lib.ts';

/** Recipients: `--recipients N` after the bench's name, else BENCH_MESSAGING_RECIPIENTS, else 100,000. */
function recipientCount(): number {
  const flag = process.argv.indexOf('--recipients');
  const text = flag > 0 ? process.argv[flag + 1] : process.env.BENCH_MESSAGING_RECIPIENTS;
  const n = text === undefined ? 100_000 : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--recipients: a positive whole number, not ${text}`);
  return n;
}

/** Parallel SMTP sessions of Herald's pooled channel (adapters/email-channel.ts default) and of the baseline. */
const SMTP_CONNECTIONS = 5;
/** Requests in flight for the bare SMS client: as many as Herald's dispatcher sends at once. */
const SMS_IN_FLIGHT = 16;
const MB = 1024 * 1024;

const TEMPLATE = {
  subject: 'Hallo {{ first_name | default: "Kundin, Kunde" }}, Ihr Angebot der Woche',
  html: `<!doctype html><html><body style="font-family:sans-serif">
<h1>Hallo {{ first_name | default: "Kundin, Kunde" }} {{ last_name }},</h1>
${'<p>Diese Woche haben wir neue Angebote für Sie: frische Brötchen, Kuchen und Torten aus der Region. Besuchen Sie uns in der Filiale oder bestellen Sie online.</p>\n'.repeat(12)}
<p>Ihre E-Mail-Adresse: {{ email }}</p>
<p><a href="https://example.com/angebote">Zu den Angeboten</a> · <a href="{{ unsubscribe_url }}">Abmelden</a></p>
</body></html>`,
};
const SMS_TEXT =
  'Hallo {{ first_name | default: "Kundin" }}, diese Woche 20% auf alle Torten. Abmelden: STOP';

/** A loopback SMTP server that accepts every message and throws it away, counting them. */
async function discardSmtp(): Promise<{ port: number; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 50 * MB,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A stub of Twilio's Messages resource: 201 with a fresh sid for every POST, counting them. */
async function smsStub(): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      received++;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sid: `SM${received.toString(16).padStart(32, '0')}`,
          status: 'queued',
          num_segments: '1',
        }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** N contacts with an email, a mobile number, names and consent for both channels, by COPY. */
async function seedRecipients(database: Database, accountId: number, n: number): Promise<void> {
  const first = ['Anna', 'Jonas', 'Leonie', 'Finn', 'Mia', 'Lukas', '', 'Sophie'];
  const last = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'];
  async function* lines(): AsyncIterable<string> {
    const batch = 10_000;
    for (let lo = 0; lo < n; lo += batch) {
      let out = '';
      for (let i = lo; i < Math.min(n, lo + batch); i++) {
        out += `${accountId},kunde${i}@bench.example,+49151${String(i).padStart(8, '0')},${first[i % first.length]},${last[i % last.length]},subscribed,subscribed\n`;
      }
      yield out;
    }
  }
  await database.copyFrom(
    `COPY contacts (account_id, email, phone, first_name, last_name, email_consent, sms_consent)
     FROM STDIN WITH (FORMAT csv, NULL '')`,
    lines(),
  );
}

async function call<T>(api: Api, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${api.base}/api/accounts/${api.account}${path}`, {
    method,
    headers: api.headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The largest RSS seen while sampling, in bytes. */
function rssSampler(): { peak(): number; stop(): void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** The merge values of recipient `i`, as Herald reads them from the seeded contact. */
function valuesOf(i: number): Record<string, string> {
  const first = ['Anna', 'Jonas', 'Leonie', 'Finn', 'Mia', 'Lukas', '', 'Sophie'];
  const last = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'];
  return {
    first_name: first[i % first.length]!,
    last_name: last[i % last.length]!,
    email: `kunde${i}@bench.example`,
    unsubscribe_url: `https://herald.example/u/token-${i}`,
  };
}

/** Merges per second of the email template, rendering N messages on this one core. */
function benchRender(n: number): number {
  const compiled = compileEmail(TEMPLATE);
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += renderEmail(compiled, valuesOf(i)).html.length;
  const ms = performance.now() - start;
  progress(`  render: ${n} merges in ${Math.round(ms)} ms (${Math.round(bytes / n)} bytes of HTML each)`);
  return n / (ms / 1000);
}

/** Bare nodemailer: the same rendered messages over a pool, all queued at once; msg/s. */
async function bareNodemailer(port: number, n: number): Promise<number> {
  const compiled = compileEmail(TEMPLATE);
  const messages = Array.from({ length: n }, (_, i) => ({ i, ...renderEmail(compiled, valuesOf(i)) }));
  const transporter = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Infinity,
  });
  const start = performance.now();
  await Promise.all(
    messages.map((m) =>
      transporter.sendMail({
        from: { name: 'Bäckerei Bench', address: 'news@bench.example' },
        to: `kunde${m.i}@bench.example`,
        subject: m.subject,
        html: m.html,
        text: m.text,
        messageId: `<baseline.${m.i}@bench.example>`,
        headers: { 'List-Unsubscribe': `<https://herald.example/u/token-${m.i}>` },
      }),
    ),
  );
  const ms = performance.now() - start;
  transporter.close();
  progress(`  bare nodemailer: ${n} messages in ${Math.round(ms)} ms`);
  return n / (ms / 1000);
}

/** Bare undici: the same Twilio requests, SMS_IN_FLIGHT at a time; msg/s. */
async function bareUndici(url: string, n: number): Promise<number> {
  const pool = new Pool(url, { connections: SMS_IN_FLIGHT });
  const auth = `Basic ${Buffer.from('ACbench:token').toString('base64')}`;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: SMS_IN_FLIGHT }, async () => {
      while (next < n) {
        const i = next++;
        const body = new URLSearchParams({
          To: `+49151${String(i).padStart(8, '0')}`,
          From: '+4930123456',
          Body: SMS_TEXT.replace('{{ first_name | default: "Kundin" }}', valuesOf(i).first_name || 'Kundin'),
        }).toString();
        const res = await pool.request({
          method: 'POST',
          path: '/2010-04-01/Accounts/ACbench/Messages.json',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        await res.body.json();
      }
    }),
  );
  const ms = performance.now() - start;
  await pool.close();
  progress(`  bare undici: ${n} requests in ${Math.round(ms)} ms`);
  return n / (ms / 1000);
}

export async function run(): Promise<Metrics> {
  const n = recipientCount();
  const smtp = await discardSmtp();
  const sms = await smsStub();
  const { herald, stop } = await startBenchHerald({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  const database = herald.database;
  try {
    const account = await createBenchAccount(herald);
    progress(`seeding ${n} recipients`);
    await seedRecipients(database, account, n);
    const api: Api = { base: herald.url!, account, headers: (await logInBench(herald.url!)).headers };
    const list = await call<{ id: string }>(api, 'POST', '/smart-lists', {
      name: 'Alle',
      filter: { op: 'and', conditions: [] },
    });
    const emailTemplate = await call<{ id: string }>(api, 'POST', '/templates', {
      channel: 'email',
      name: 'Angebot der Woche',
      ...TEMPLATE,
    });
    const smsTemplate = await call<{ id: string }>(api, 'POST', '/templates', {
      channel: 'sms',
      name: 'Angebot SMS',
      text: SMS_TEXT,
    });
    await call(api, 'POST', '/sender-profiles', {
      name: 'Newsletter',
      fromName: 'Bäckerei Bench',
      fromAddress: 'news@bench.example',
      isDefault: true,
    });
    await call(api, 'PATCH', '/messaging-settings', {
      sms: {
        provider: 'twilio',
        baseUrl: sms.url,
        from: '+4930123456',
        credentials: { accountSid: 'ACbench', authToken: 'token' },
      },
      smsRate: 100_000,
    });

    progress('render');
    const render = benchRender(n);

    await settle(database);
    progress('API latency while idle');
    const idle = await idleSamples(api, 100);
    const during: Samples = { health: [], list: [] };
    const rss = rssSampler();

    const send = async (label: string, body: object, received: () => number) => {
      await settle(database);
      progress(`${label}: Herald through HTTP (probing the API meanwhile)`);
      const before = received();
      const stopProbe = probe(api, during);
      try {
        const action = await runAction(api, body, '/messaging/sends');
        const sent = received() - before;
        if (sent < n) throw new Error(`${label}: the server received ${sent} of ${n} messages`);
        return sent / (action.totalMs / 1000);
      } finally {
        await stopProbe();
      }
    };
    const email = await send(
      'bulk email',
      {
        channel: 'email',
        selection: { smartListId: list.id },
        templateId: emailTemplate.id,
        expectedCount: n,
      },
      () => smtp.received(),
    );
    const smsRate = await send(
      'bulk SMS',
      {
        channel: 'sms',
        selection: { smartListId: list.id },
        templateId: smsTemplate.id,
        quietHours: false,
        expectedCount: n,
      },
      () => sms.received(),
    );
    rss.stop();
    // Read now: the baselines below hold all rendered messages in memory, which is not Herald's.
    const rssPeak = rss.peak();

    progress('baselines: bare nodemailer, bare undici');
    const emailBaseline = await bareNodemailer(smtp.port, n);
    const smsBaseline = await bareUndici(sms.url, n);
    const [ledger] = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM messages`);
    progress(`  ledger rows: ${ledger?.n}`);

    return {
      bulk_email: throughput(email, 'msg/s', emailBaseline),
      bulk_sms: throughput(smsRate, 'msg/s', smsBaseline),
      render: { value: round(render, 0), unit: 'merges/s' },
      health_p95_during_send: latency(percentile(during.health, 95), percentile(idle.health, 95)),
      rss_peak: { value: round(rssPeak / MB, 0), unit: 'MB' },
    };
  } finally {
    await stop();
    await smtp.close();
    await sms.close();
  }
}
