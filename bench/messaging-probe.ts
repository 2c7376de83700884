// A quick probe (not the benchmark): bulk email end to end through a running Herald (API + worker)
// to a loopback SMTP server that accepts and discards, beside bare nodemailer over a pool sending
// the same number of messages. `node --import tsx bench/messaging-probe.ts` (BENCH_MESSAGES,
// default 20,000; DATABASE_URL for PostgreSQL). Prints msg/s of both and the ratio.
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { rows } from '../src/server/db/types.ts';
import { startBenchHerald, createBenchAccount, logInBench } from './bench-herald.ts';
import { engine, progress } from './lib.ts';

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);

let accepted = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      accepted++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

// Bare nodemailer: the same messages over a pool of 8 connections.
const transport = nodemailer.createTransport({
  url: smtpUrl,
  pool: true,
  maxConnections: 8,
  maxMessages: Infinity,
});
const bareStart = performance.now();
const bareN = Math.min(N, 20_000);
const window = 64;
for (let i = 0; i < bareN; i += window) {
  await Promise.all(
    Array.from({ length: Math.min(window, bareN - i) }, (_, k) =>
      transport.sendMail({
        from: 'Shop <news@shop.example>',
        to: `r${i + k}@bench.example`,
        subject: `Hello R${i + k}`,
        html: `<p>Dear R${i + k}, our news.</p>`,
        text: `Dear R${i + k}, our news.`,
      }),
    ),
  );
}
const bare = bareN / ((performance.now() - bareStart) / 1000);
transport.close();
progress(`bare nodemailer: ${Math.round(bare)} msg/s`);

const { herald, stop } = await startBenchHerald({ SMTP_URL: smtpUrl });
const accountId = await createBenchAccount(herald);
const db = herald.database.db;
await db.execute(sql`INSERT INTO contacts (account_id, email, first_name)
                     SELECT ${accountId}, 'r' || g || '@bench.example', 'R' || g FROM generate_series(1, ${N}) g`);
await db.execute(sql`ANALYZE contacts`);
const base = herald.url!;
const { headers } = await logInBench(base);
accepted = 0;
const start = performance.now();
const res = await fetch(`${base}/api/accounts/${accountId}/messaging/sends`, {
  method: 'POST',
  headers,
  body: JSON.stringify({
    channel: 'email',
    selection: { filter: { op: 'and', conditions: [] } },
    content: { subject: 'Hello {{ first_name }}', html: '<p>Dear {{ first_name }}, our news.</p>' },
  }),
});
if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
const { id } = (await res.json()) as { id: string };
for (;;) {
  const [a] = await rows<{ status: string; processed: number }>(
    db,
    sql`SELECT status, processed FROM bulk_actions WHERE id = ${Number(id)}`,
  );
  if (a?.status === 'completed' || a?.status === 'failed') break;
  progress(`${a?.status} ${a?.processed}/${N}, server has ${accepted}`);
  await new Promise((r) => setTimeout(r, 2_000));
}
const value = N / ((performance.now() - start) / 1000);
progress(`herald: ${Math.round(value)} msg/s (server accepted ${accepted})`);
console.log(
  JSON.stringify({
    engine,
    bulk_email: { value: Math.round(value), baseline: Math.round(bare), ratio: +(value / bare).toFixed(2) },
  }),
);
await stop();
await new Promise<void>((resolve) => smtp.close(() => resolve()));
process.exit(0);
