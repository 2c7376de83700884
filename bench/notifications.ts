// Notifications at scale: 1,000,000 notifications across 100 users in one account (two of them with
// 100,000 unread each), then, through Herald's HTTP API: the unread count, the first list page and
// mark-all-read for a user with 100k unread; and through notify(): the fan-out of one notification
// to 1,000 recipients. Each beside the same work as raw SQL in the same run.
import { sql } from 'drizzle-orm';
import { rows, type Db, type Queryable } from '../src/server/db/types.ts';
import { insertAccount } from '../src/server/modules/accounts/accounts.repo.ts';
import { asAccountId } from '../src/server/db/tenant.ts';
import { startBenchHerald, createBenchAccount, logInBench } from './bench-herald.ts';
import { latency, percentile, progress, throughput, timed, type Metrics } from './lib.ts';

const N = Number(process.env.BENCH_NOTIFICATIONS ?? 1_000_000);
const USERS = 100;
const HEAVY_UNREAD = Math.min(100_000, Math.floor(N / 10));
const FANOUT = 1_000;
const SAMPLES = 200;

export async function run(): Promise<Metrics> {
  const { herald, stop } = await startBenchHerald();
  const db = herald.database.db;
  const base = herald.url!;
  try {
    const accountId = await createBenchAccount(herald);
    const [owner] = await rows<{ id: number }>(
      db,
      sql`SELECT id FROM users WHERE email = 'bench@example.com'`,
    );
    const heavy = Number(owner!.id);
    const others = await addUsers(db, accountId, USERS - 1, 'analyst', 'reader');
    const rawUser = others[0]!;

    progress(`seeding ${N} notifications for ${USERS} users (set-based)`);
    const seed = await timed(() => seedNotifications(db, accountId, heavy, rawUser, others.slice(1)));
    progress(`seeded in ${Math.round(seed.ms)} ms`);
    if (herald.database.kind === 'pglite') await herald.database.maintain();
    else await db.execute(sql`VACUUM ANALYZE`);

    const { cookie, headers } = await logInBench(base);
    const api = `${base}/api/accounts/${accountId}/notifications`;
    const get = async (path: string) => {
      const res = await fetch(`${api}${path}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json() as Promise<Record<string, unknown>>;
    };

    progress('floor: GET /api/health (HTTP round trip + SELECT 1) and GET /api/me (session + accounts)');
    const health: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      health.push((await timed(() => fetch(`${base}/api/health`).then((r) => r.json()))).ms);
    }

    progress('unread count: API (counter row) vs raw count(*)');
    const apiCount: number[] = [];
    const rawCount: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const a = await timed(() => get('/unread-count'));
      apiCount.push(a.ms);
      const r = await timed(() =>
        rows<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM notification_recipients
              WHERE user_id = ${heavy} AND account_id = ${accountId} AND read_at IS NULL`,
        ),
      );
      rawCount.push(r.ms);
      if (a.result.unread !== r.result[0]!.n) {
        throw new Error(`count mismatch: API ${String(a.result.unread)}, raw ${r.result[0]!.n}`);
      }
    }

    // The same read without HTTP: what the counter costs beside count(*), both straight from the database.
    const access = (await herald.services.access.accessTo(heavy, asAccountId(accountId)))!;
    const serviceCount: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      serviceCount.push((await timed(() => herald.services.notifications.unread(access, heavy))).ms);
    }

    progress('first list page (50): API vs raw SQL');
    const apiPage: number[] = [];
    const rawPage: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      apiPage.push((await timed(() => get('?limit=50'))).ms);
      rawPage.push(
        (
          await timed(() =>
            rows(
              db,
              sql`SELECT n.id, n.type, n.severity, n.params, n.first_at, n.last_at, r.read_at
                  FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
                  WHERE r.user_id = ${heavy} AND r.account_id = ${accountId}
                  ORDER BY r.seq DESC LIMIT 51`,
            ),
          )
        ).ms,
      );
    }

    progress(`mark all read for users with ${HEAVY_UNREAD} unread: API vs raw UPDATE`);
    const markAll = await timed(async () => {
      const res = await fetch(`${api}/mark`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ selection: { all: true }, read: true }),
      });
      return (await res.json()) as { changed: number };
    });
    if (markAll.result.changed !== HEAVY_UNREAD) throw new Error(`marked ${markAll.result.changed}`);
    const rawMark = await timed(() =>
      db.execute(sql`UPDATE notification_recipients SET read_at = now()
                     WHERE user_id = ${rawUser} AND account_id = ${accountId} AND read_at IS NULL`),
    );

    progress(`fan-out of one notification to ${FANOUT} recipients: notify() vs raw INSERTs`);
    const crowd = await insertAccount(db, { name: 'Crowd', kind: 'agency', parentId: null });
    await addUsers(db, crowd, FANOUT, 'observer', 'crowd');
    const fanout: number[] = [];
    const rawFanout: number[] = [];
    for (let i = 0; i < 30; i++) {
      fanout.push((await timed(() => db.transaction((tx) => notifyCrowd(tx, herald, crowd, i)))).ms);
      rawFanout.push(
        (
          await timed(() =>
            db.transaction(async (tx) => {
              const [n] = await rows<{ id: number }>(
                tx,
                sql`INSERT INTO notifications (account_id, type, severity, params, subject_kind, subject_id, first_at, last_at)
                    VALUES (${crowd}, 'bulk_action.failed', 'error', '{}'::jsonb, 'bulk_action', '1', now(), now()) RETURNING id`,
              );
              await tx.execute(sql`
                INSERT INTO notification_recipients (user_id, notification_id, account_id, seq, delivered_at)
                SELECT m.user_id, ${n!.id}, ${crowd}, nextval('notification_delivery_seq'), now()
                FROM memberships m WHERE m.account_id = ${crowd}`);
            }),
          )
        ).ms,
      );
    }

    return {
      seed: throughput(N / (seed.ms / 1000), 'rows/s'),
      health_p95: latency(percentile(health, 95)),
      unread_count_p50: latency(percentile(apiCount, 50), percentile(rawCount, 50)),
      unread_count_p95: latency(percentile(apiCount, 95), percentile(rawCount, 95)),
      unread_count_without_http_p95: latency(percentile(serviceCount, 95), percentile(rawCount, 95)),
      first_page_p50: latency(percentile(apiPage, 50), percentile(rawPage, 50)),
      first_page_p95: latency(percentile(apiPage, 95), percentile(rawPage, 95)),
      mark_all_read_100k: latency(markAll.ms, rawMark.ms),
      fanout_1000_p50: latency(percentile(fanout, 50), percentile(rawFanout, 50)),
      fanout_1000_p95: latency(percentile(fanout, 95), percentile(rawFanout, 95)),
    };
  } finally {
    await stop();
  }
}

async function notifyCrowd(
  tx: Queryable,
  herald: Awaited<ReturnType<typeof startBenchHerald>>['herald'],
  accountId: number,
  i: number,
): Promise<void> {
  const services = herald.services;
  await services.notifier.notify(tx, accountId, {
    type: 'bulk_action.failed',
    params: { action: { id: String(i + 1), name: `Bulk ${i}` }, processed: 1, total: 2, error: 'bench' },
    subject: { kind: 'bulk_action', id: String(i + 1) },
  });
}

/** `count` users with `role` in the account, set-based; returns their ids. */
async function addUsers(
  db: Db,
  accountId: number,
  count: number,
  role: string,
  prefix: string,
): Promise<number[]> {
  const created = await rows<{ id: number }>(
    db,
    sql`INSERT INTO users (email, name, password_hash)
        SELECT ${prefix} || g || '.' || ${accountId} || '@bench.example', ${prefix} || ' ' || g, 'unusable'
        FROM generate_series(1, ${count}::int) g RETURNING id`,
  );
  const ids = created.map((c) => Number(c.id));
  await db.execute(sql`
    INSERT INTO memberships (account_id, user_id, role)
    SELECT ${accountId}, u, ${role} FROM unnest(${`{${ids.join(',')}}`}::bigint[]) u`);
  return ids;
}

/**
 * N notifications; the two heavy users each get HEAVY_UNREAD of the newest unread, the rest go one
 * each to the other users, about half of them read. Counters are then built from a recount.
 */
async function seedNotifications(db: Db, accountId: number, heavy: number, rawUser: number, rest: number[]) {
  const batch = 100_000;
  for (let from = 1; from <= N; from += batch) {
    const to = Math.min(N, from + batch - 1);
    await db.execute(sql`
      INSERT INTO notifications (account_id, type, severity, params, subject_kind, subject_id, first_at, last_at)
      SELECT ${accountId}, 'bulk_action.finished_with_errors', 'warning',
        jsonb_build_object('action', jsonb_build_object('id', g::text, 'name', 'Add tag to ' || g || ' contacts'),
                           'total', 100, 'succeeded', 90, 'failed', 10, 'skipped', 0),
        'bulk_action', g::text, now() - (${N}::int - g) * interval '1 second', now() - (${N}::int - g) * interval '1 second'
      FROM generate_series(${from}::int, ${to}::int) g`);
  }
  const [range] = await rows<{ min: number }>(
    db,
    sql`SELECT min(id) AS min FROM notifications WHERE account_id = ${accountId}`,
  );
  const first = Number(range!.min);
  const restArray = `{${rest.join(',')}}`;
  for (let from = 0; from < N; from += batch) {
    // k counts from the newest notification (k = 0) backwards.
    await db.execute(sql`
      INSERT INTO notification_recipients (user_id, notification_id, account_id, seq, delivered_at, read_at)
      SELECT CASE WHEN k < ${HEAVY_UNREAD} THEN ${heavy}
                  WHEN k < ${2 * HEAVY_UNREAD} THEN ${rawUser}
                  ELSE (${restArray}::bigint[])[1 + (n.id % ${rest.length})] END,
             n.id, n.account_id, nextval('notification_delivery_seq'), n.first_at,
             CASE WHEN k >= ${2 * HEAVY_UNREAD} AND n.id % 2 = 0 THEN n.first_at END
      FROM (SELECT id, account_id, first_at, ${N - 1} - (id - ${first}) AS k FROM notifications
            WHERE id >= ${first + from} AND id < ${first + from + batch} ORDER BY id) n`);
    progress(`  recipients ${Math.min(N, from + batch)} / ${N}`);
  }
  await db.execute(sql`
    INSERT INTO notification_unread (user_id, account_id, unread)
    SELECT user_id, account_id, count(*) FILTER (WHERE read_at IS NULL) FROM notification_recipients
    WHERE account_id = ${accountId} GROUP BY user_id, account_id`);
}
