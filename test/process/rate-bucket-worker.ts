// A process that takes tokens from one shared bucket for the two-process rate test: opens the
// test's PostgreSQL database, prints "ready", reads the common start time (ms since the epoch) from
// stdin, acquires for the given window and prints each grant's time as one JSON line at the end.
import { openDatabase } from '../../src/server/db/client.ts';
import { RateBuckets } from '../../src/server/modules/senders/rate-buckets.ts';

const url = process.env.RATE_TEST_DATABASE_URL;
const key = process.env.RATE_TEST_KEY ?? 'test:processes';
const rate = Number(process.env.RATE_TEST_RATE);
const windowMs = Number(process.env.RATE_TEST_WINDOW_MS);
const concurrency = Number(process.env.RATE_TEST_CONCURRENCY ?? 4);
if (!url || !rate || !windowMs) throw new Error('RATE_TEST_* variables are required');

const database = await openDatabase({ kind: 'postgres', url });
const buckets = new RateBuckets(database.db);
console.log('ready');
const startAt = await new Promise<number>((resolve) => {
  let input = '';
  process.stdin.on('data', (c: Buffer) => {
    input += c.toString();
    if (input.includes('\n')) resolve(Number(input.trim()));
  });
});
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const grants: number[] = [];
const stopAt = startAt + windowMs;
const signal = AbortSignal.timeout(Math.max(1, stopAt - Date.now()));
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (;;) {
      try {
        await buckets.acquire(key, rate, signal);
      } catch (err) {
        if (!signal.aborted) console.error(err);
        return;
      }
      grants.push(Date.now());
    }
  }),
);
console.log(JSON.stringify({ pid: process.pid, grants }));
await database.close();
process.exit(0);
