// Distribution at volume (issue 14, "Benchmark"): an agency with T sub-accounts (default 500;
// `--targets N` or BENCH_DISTRIBUTION_TARGETS), its mailing with template, sender profile, list and
// target group, and in every sub-account an element of each kind registered as its substitute.
// Through Herald's HTTP API (API and worker in this process):
//   dry_run_500     POST /distribution/plan for all targets, median of 3 (ms);
//   distribute_500  POST /distributions until the distribution is completed (ms, end to end);
//   activation_500  deactivating the 500 copies across accounts until completed (ms);
//   targets_per_s   targets distributed per second; baseline: bare SQL that writes the same copies
//                   (each target in a transaction of its own, references resolved through the same
//                   substitutes) in the same run, first, from the same settled state.
// The run checks its own results: every target created, every copy inactive after the activation run.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../src/server/db/types.ts';
import type { Distribution, Plan } from '../src/shared/distribution.ts';
import { createBenchAccount, logInBench, startBenchHerald } from './bench-herald.ts';
import { latency, percentile, progress, settle, throughput, timed, type Metrics } from './lib.ts';

function targetCount(): number {
  const flag = process.argv.indexOf('--targets');
  const text = flag > 0 ? process.argv[flag + 1] : process.env.BENCH_DISTRIBUTION_TARGETS;
  const n = text === undefined ? 500 : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--targets: a positive whole number, not ${text}`);
  return n;
}

const HTML = `<h1>{{ account_name }}</h1>${'<p>Frische Angebote der Woche, nur solange der Vorrat reicht.</p>'.repeat(40)}<p><a href="{{ unsubscribe_url }}">Abmelden</a></p>`;

interface Seeded {
  mailingId: number;
}

/** The agency's elements and, set-based, T sub-accounts each with its four substitutes. */
async function seed(db: Db, agency: number, targets: number): Promise<Seeded> {
  const one = async (query: ReturnType<typeof sql>) => Number((await rows<{ id: string }>(db, query))[0]!.id);
  const sender =
    await one(sql`INSERT INTO sender_profiles (account_id, name, from_name, from_address, is_default)
    VALUES (${agency}, 'Agency sender', 'Agency', 'news@agency.example', true) RETURNING id::text AS id`);
  const template =
    await one(sql`INSERT INTO message_templates (account_id, channel, name, subject, html, fields)
    VALUES (${agency}, 'email', 'Newsletter frame', 'Newsletter', ${HTML}, '{account_name,unsubscribe_url}')
    RETURNING id::text AS id`);
  const list = await one(sql`INSERT INTO subscriber_lists (account_id, name) VALUES (${agency}, 'Newsletter')
    RETURNING id::text AS id`);
  const group = await one(sql`INSERT INTO smart_lists (account_id, name, filter)
    VALUES (${agency}, 'Everyone', '{"op":"and","conditions":[]}'::jsonb) RETURNING id::text AS id`);
  const mailingId = await one(sql`INSERT INTO mailings (account_id, name, template_id, sender_profile_id,
      list_ids, target_group_ids, root_id)
    VALUES (${agency}, 'Spring campaign', ${template}, ${sender}, ${`{${list}}`}::bigint[], ${`{${group}}`}::bigint[], 0)
    RETURNING id::text AS id`);
  await db.execute(sql`UPDATE mailings SET root_id = id WHERE id = ${mailingId}`);

  await db.execute(sql`INSERT INTO accounts (parent_id, name, kind)
    SELECT ${agency}, 'Client ' || lpad(g::text, 4, '0'), 'sub_account' FROM generate_series(1, ${targets}) g`);
  const subs = sql`SELECT id FROM accounts WHERE parent_id = ${agency}`;
  await db.execute(sql`INSERT INTO sender_profiles (account_id, name, from_name, from_address, is_default)
    SELECT id, 'Own sender', 'Client', 'news' || id || '@client.example', true FROM (${subs}) s`);
  await db.execute(sql`INSERT INTO message_templates (account_id, channel, name, subject, html, fields)
    SELECT id, 'email', 'Own frame', 'Newsletter', ${HTML}, '{account_name,unsubscribe_url}' FROM (${subs}) s`);
  await db.execute(
    sql`INSERT INTO subscriber_lists (account_id, name) SELECT id, 'Own list' FROM (${subs}) s`,
  );
  await db.execute(sql`INSERT INTO smart_lists (account_id, name, filter)
    SELECT id, 'Own group', '{"op":"and","conditions":[]}'::jsonb FROM (${subs}) s`);
  for (const [kind, table, sourceId] of [
    ['email_template', 'message_templates', template],
    ['sender_profile', 'sender_profiles', sender],
    ['subscriber_list', 'subscriber_lists', list],
    ['target_group', 'smart_lists', group],
  ] as const) {
    await db.execute(sql`INSERT INTO substitutes (account_id, source_account_id, kind, source_id, substitute_id)
      SELECT e.account_id, ${agency}, ${kind}, ${sourceId}, e.id
      FROM ${sql.raw(table)} e JOIN accounts a ON a.id = e.account_id AND a.parent_id = ${agency}`);
  }
  return { mailingId };
}

/**
 * The same copies written bare: per target one transaction with one INSERT … SELECT that resolves
 * the template, sender, list and target group through the target's substitutes. Named apart and
 * without origin, so they do not collide with Herald's copies; `removeBareCopies` takes them away.
 */
async function bareCopies(db: Db, agency: number, mailingId: number): Promise<number> {
  const targets = await rows<{ id: string }>(
    db,
    sql`SELECT id::text AS id FROM accounts WHERE parent_id = ${agency} ORDER BY id`,
  );
  for (const t of targets) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO mailings (account_id, name, template_id, subject, html, text_body, sender_profile_id,
                              list_ids, target_group_ids, tracking, root_id)
        SELECT ${Number(t.id)}, m.name || ' (bare)',
               (SELECT s.substitute_id FROM substitutes s WHERE s.account_id = ${Number(t.id)}
                  AND s.kind = 'email_template' AND s.source_id = m.template_id),
               m.subject, m.html, m.text_body,
               (SELECT s.substitute_id FROM substitutes s WHERE s.account_id = ${Number(t.id)}
                  AND s.kind = 'sender_profile' AND s.source_id = m.sender_profile_id),
               ARRAY(SELECT s.substitute_id FROM unnest(m.list_ids) l JOIN substitutes s
                       ON s.account_id = ${Number(t.id)} AND s.kind = 'subscriber_list' AND s.source_id = l),
               ARRAY(SELECT s.substitute_id FROM unnest(m.target_group_ids) g JOIN substitutes s
                       ON s.account_id = ${Number(t.id)} AND s.kind = 'target_group' AND s.source_id = g),
               m.tracking, 0
        FROM mailings m WHERE m.id = ${mailingId}`);
    });
  }
  return targets.length;
}

/** Removes what `bareCopies` wrote (not timed: the baseline is the writing). */
async function removeBareCopies(db: Db, agency: number): Promise<void> {
  await db.execute(
    sql`DELETE FROM mailings WHERE name LIKE '% (bare)' AND account_id IN (SELECT id FROM accounts WHERE parent_id = ${agency})`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run(): Promise<Metrics> {
  const targets = targetCount();
  const { herald, stop } = await startBenchHerald();
  try {
    const db = herald.database.db;
    const agency = await createBenchAccount(herald);
    progress(`seeding ${targets} sub-accounts with substitutes`);
    const { mailingId } = await seed(db, agency, targets);
    await settle(herald.database);
    const { headers } = await logInBench(herald.url!);
    const api = (path: string) => `${herald.url}/api/accounts/${agency}${path}`;
    const call = async <T>(method: string, path: string, body?: object): Promise<T> => {
      const res = await fetch(api(path), { method, headers, body: body ? JSON.stringify(body) : undefined });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const element = { kind: 'mailing', id: String(mailingId) };
    const untilDone = async (id: string): Promise<Distribution> => {
      for (;;) {
        const d = await call<Distribution>('GET', `/distributions/${id}`);
        if (d.status !== 'running') return d;
        await sleep(50);
      }
    };

    // The baseline first, from the seeded state; it removes its copies, and after settling again
    // Herald's phases start from that same state (no copies, dead rows vacuumed).
    progress('bare SQL baseline');
    const bare = await timed(() => bareCopies(db, agency, mailingId));
    await removeBareCopies(db, agency);
    await settle(herald.database);

    progress('dry run (3×)');
    const plans: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { ms, result } = await timed(() =>
        call<Plan>('POST', '/distribution/plan', { element, targets: { mode: 'all' } }),
      );
      if (result.targets.length !== targets || result.counts.create !== targets)
        throw new Error(`plan: expected ${targets} creates, got ${JSON.stringify(result.counts)}`);
      plans.push(ms);
    }

    progress('distribute');
    const distributed = await timed(async () => {
      const started = await call<Distribution>('POST', '/distributions', {
        element,
        targets: { mode: 'all' },
      });
      return untilDone(started.id);
    });
    if (distributed.result.counts.created !== targets)
      throw new Error(
        `distribute: expected ${targets} created, got ${JSON.stringify(distributed.result.counts)}`,
      );

    progress('activation change (deactivate all copies)');
    const deactivated = await timed(async () => {
      const started = await call<Distribution>('POST', '/distributions', {
        operation: 'deactivate',
        element,
        targets: { mode: 'all' },
      });
      return untilDone(started.id);
    });
    const [inactive] = await rows<{ n: string }>(
      db,
      sql`SELECT count(*)::text AS n FROM mailings WHERE origin_id = ${mailingId} AND NOT active`,
    );
    if (deactivated.result.counts.deactivated !== targets || Number(inactive!.n) !== targets)
      throw new Error(
        `activation: expected ${targets} deactivated, got ${JSON.stringify(deactivated.result.counts)}`,
      );

    const perSecond = targets / (distributed.ms / 1000);
    const barePerSecond = bare.result / (bare.ms / 1000);
    return {
      dry_run_500: latency(percentile(plans, 50)),
      distribute_500: latency(distributed.ms),
      activation_500: latency(deactivated.ms),
      targets_per_s: throughput(perSecond, 'targets/s', barePerSecond),
    };
  } finally {
    await stop();
  }
}
