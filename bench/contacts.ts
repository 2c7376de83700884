// Contacts at scale: seeds N contacts (default 1,000,000) in one account, then measures a contacts
// page filtered by a SmartList (tag + email domain) with keyset pagination, and the SmartList's
// count preview, each through Herald's HTTP API and as the equivalent raw SQL in the same run.
import { sql, type SQL } from 'drizzle-orm';
import { rows } from '../src/server/db/types.ts';
import { insertAccount } from '../src/server/modules/accounts/accounts.repo.ts';
import { generateContacts } from '../src/server/seed/contact-generator.ts';
import { startBenchHerald, createBenchAccount, logInBench } from './bench-herald.ts';
import { latency, percentile, progress, throughput, timed, type Metrics } from './lib.ts';

const N = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const PAGES = Number(process.env.BENCH_PAGES ?? 40);

export async function run(): Promise<Metrics> {
  const { herald, stop } = await startBenchHerald();
  const db = herald.database.db;
  const base = herald.url!;
  try {
    const accountId = await createBenchAccount(herald);

    progress(`seeding ${N} contacts (COPY + set-based tagging)`);
    const seed = await timed(() => generateContacts(herald.database, accountId, N));
    progress(
      `seeded in ${Math.round(seed.ms)} ms; raw baseline: INSERT ... SELECT generate_series of ${N / 10} rows`,
    );
    const baselineAccount = await insertAccount(db, { name: 'Baseline', kind: 'agency', parentId: null });
    const rawSeed = await timed(() =>
      db.execute(sql`INSERT INTO contacts (account_id, email, first_name, last_name, custom_fields)
        SELECT ${baselineAccount}, 'raw' || g || '@example.com', 'First', 'Last', '{"city":"Berlin"}'::jsonb
        FROM generate_series(1, ${N / 10}) g`),
    );
    if (herald.database.kind === 'pglite') await herald.database.maintain();
    else await db.execute(sql`ANALYZE`);

    const { cookie, headers } = await logInBench(base);
    const [vip] = await rows<{ id: number }>(
      db,
      sql`SELECT id FROM tags WHERE account_id = ${accountId} AND name = 'VIP'`,
    );
    const filter = {
      op: 'and',
      conditions: [
        { type: 'tag', op: 'has', tagId: String(vip!.id) },
        { type: 'email_domain', op: 'equals', value: 'example.com' },
      ],
    };
    const created = await fetch(`${base}/api/accounts/${accountId}/smart-lists`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'VIP at example.com', filter }),
    });
    const smartList = (await created.json()) as { id: string };

    progress(`paging ${PAGES} pages of 50 through the API, three passes`);
    const apiPage: number[] = [];
    const cursors: (string | null)[] = [];
    for (let pass = 0; pass < 3; pass++) {
      let cursor: string | null = null;
      for (let p = 0; p < PAGES; p++) {
        const qs: string = `smartListId=${smartList.id}&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
        const { ms, result } = await timed(
          async () =>
            (
              await fetch(`${base}/api/accounts/${accountId}/contacts?${qs}`, { headers: { cookie } })
            ).json() as Promise<{ items: unknown[]; nextCursor: string | null }>,
        );
        apiPage.push(ms);
        if (pass === 0) cursors.push(cursor);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    }

    progress('the same pages as raw SQL');
    const rawPage: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      let after: { key: string; id: number } | null = null;
      for (let p = 0; p < cursors.length; p++) {
        const keyset: SQL = after
          ? sql`AND (c.created_at, c.id) < (${after.key}::timestamptz, ${after.id})`
          : sql``;
        const { ms, result }: { ms: number; result: { id: number; k: string }[] } = await timed(() =>
          rows<{ id: number; k: string }>(
            db,
            sql`SELECT c.id, c.email, c.phone, c.first_name, c.last_name, c.custom_fields, c.created_at::text AS k
                FROM contacts c
                WHERE c.account_id = ${accountId} AND c.deleted_at IS NULL
                  AND EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ${vip!.id})
                  AND c.email_domain = 'example.com' ${keyset}
                ORDER BY c.created_at DESC, c.id DESC LIMIT 51`,
          ),
        );
        rawPage.push(ms);
        const last: { id: number; k: string } | undefined = result[49];
        if (!last) break;
        after = { key: last.k, id: Number(last.id) };
      }
    }

    progress('count preview: API vs raw count(*)');
    const apiCount: number[] = [];
    const rawCount: number[] = [];
    let matching = 0;
    for (let i = 0; i < 7; i++) {
      const api = await timed(
        async () =>
          (
            await fetch(`${base}/api/accounts/${accountId}/smart-lists/${smartList.id}/count`, {
              headers: { cookie },
            })
          ).json() as Promise<{ count: number }>,
      );
      apiCount.push(api.ms);
      matching = api.result.count;
      const raw = await timed(() =>
        rows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM contacts c
              WHERE c.account_id = ${accountId} AND c.deleted_at IS NULL
                AND EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ${vip!.id})
                AND c.email_domain = 'example.com'`,
        ),
      );
      rawCount.push(raw.ms);
      if (raw.result[0]!.n !== matching)
        throw new Error(`count mismatch: API ${matching}, raw ${raw.result[0]!.n}`);
    }
    progress(`SmartList matches ${matching} of ${N} contacts`);

    return {
      seed: throughput(N / (seed.ms / 1000), 'rows/s', N / 10 / (rawSeed.ms / 1000)),
      page_p50: latency(percentile(apiPage, 50), percentile(rawPage, 50)),
      page_p95: latency(percentile(apiPage, 95), percentile(rawPage, 95)),
      count_preview: latency(percentile(apiCount, 50), percentile(rawCount, 50)),
    };
  } finally {
    await stop();
  }
}
