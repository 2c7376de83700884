// The engine runs types it does not know: a type registered from this test file (items from a
// number range, a chunk that writes a table of its own) goes through create, freeze, chunks,
// outcomes with details, retry failed and names in two languages without any engine change. Also:
// create answers at once (`preparing`), and a freeze that lost its worker goes on where it stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createHarness, login, type Client, type TestHarness } from '../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../test/helpers/database.ts';
import { rows } from '../db/types.ts';
import { asAccountId } from '../db/tenant.ts';
import { seedContacts } from '../seed/demo.ts';
import type { Actor } from '../jobs/types.ts';
import type { BulkAction } from '../../shared/bulk-actions.ts';
import { BulkRunner } from './runner.ts';
import type { BulkTypeSpec, ItemOutcome } from './registry.ts';

const paramsSchema = z.object({ label: z.string() });
type Params = z.infer<typeof paramsSchema>;

/** Set by a test to act inside the freeze's transaction when the source is asked for its Nth batch. */
let onItems:
  ((call: number, q: Parameters<BulkTypeSpec<Params>['items']>[0], id: number) => Promise<void>) | null =
  null;
let itemCalls = 0;

/**
 * A type no feature has: items are the numbers 1..upTo; a chunk records each number in a table of
 * its own, skips multiples of 7 and fails multiples of 11 (with the number in the outcome's details).
 */
const countingType: BulkTypeSpec<Params> = {
  type: 'test_count',
  params: paramsSchema,
  controls: ['cancel', 'retry_failed'],
  rights: ['contacts.bulk'],
  items: async (q, action, source) => {
    const { upTo } = z.object({ upTo: z.number().int() }).parse(source);
    itemCalls++;
    await onItems?.(itemCalls, q, action.id);
    return (after, limit) =>
      sql`SELECT g AS id, g AS key FROM generate_series(${after + 1}::bigint, ${upTo}::bigint) g ORDER BY g LIMIT ${limit}`;
  },
  chunk: async (q, ctx, subjects) => {
    const outcomes = new Map<number, ItemOutcome>();
    const done: number[] = [];
    for (const n of subjects) {
      if (n % 7 === 0)
        outcomes.set(n, { outcome: 'skipped', reason: 'multiple_of_seven', label: `#${n}`, details: { n } });
      else if (n % 11 === 0)
        outcomes.set(n, { outcome: 'failed', reason: 'multiple_of_eleven', label: `#${n}`, details: { n } });
      else done.push(n);
    }
    if (done.length) {
      await q.execute(
        sql`INSERT INTO engine_test_hits (action_id, n) SELECT ${ctx.action.id}, unnest(${`{${done.join(',')}}`}::bigint[])`,
      );
    }
    return { outcomes };
  },
  derive: { retry_failed: { type: 'test_count', params: (_s, p) => ({ ...p }) } },
  name: (lang, n, p) =>
    lang === 'de' ? `${p.label}: ${n} Zahlen zählen` : `Count ${n} numbers for ${p.label}`,
};

describe(`bulk engine with a type registered by its feature (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let actor: Actor;
  let runner: BulkRunner;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;
  const db = () => h.db.database.db;

  beforeAll(async () => {
    h = await createHarness();
    tenant = await createTenant(db());
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await db().execute(
      sql`CREATE TABLE engine_test_hits (action_id bigint NOT NULL, n bigint NOT NULL, PRIMARY KEY (action_id, n))`,
    );
    await db().execute(sql`GRANT SELECT, INSERT ON engine_test_hits TO herald_tenant`);
    h.services.bulkTypes.register(countingType);
    const access = await h.services.access.accessTo(Number(owner.userId), asAccountId(Number(tenant.subId)));
    actor = { access: access!, userId: Number(owner.userId), language: 'de' };
    // Small sizes, so that 100 items take several freeze batches and chunks.
    runner = new BulkRunner(
      db(),
      h.clock,
      { chunk: 10, freeze: 30 },
      h.services.notifier,
      h.services.bulkTypes,
    );
  });
  afterAll(() => h.close());

  const start = (upTo: number, expected = upTo) =>
    h.services.bulkActions.start(actor, {
      type: 'test_count',
      params: { label: 'Test' },
      source: { upTo },
      expected,
      details: { upTo },
    });

  it('creates, freezes and runs it: counters, outcomes with details, names in the reader’s language, retry', async () => {
    const created = await start(100);
    expect(created).toMatchObject({ status: 'preparing', total: 100, prepared: 0, controls: ['cancel'] });
    expect(created.name).toBe('Test: 100 Zahlen zählen');

    await runner.run(Number(created.id));
    const done = await h.services.bulkActions.get(actor, Number(created.id));
    // 1..100: 14 multiples of 7 (77 among them) are skipped, the 8 other multiples of 11 fail.
    expect(done).toMatchObject({
      status: 'completed',
      total: 100,
      prepared: 100,
      processed: 100,
      succeeded: 78,
      skipped: 14,
      failed: 8,
    });
    expect(done.name).toBe('Test: 100 Zahlen zählen');
    expect((await h.services.bulkActions.get({ ...actor, language: 'en' }, Number(created.id))).name).toBe(
      'Count 100 numbers for Test',
    );
    const hits = await rows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM engine_test_hits WHERE action_id = ${Number(created.id)}`,
    );
    expect(hits[0]!.n).toBe(78);
    const outcomes = await rows<{ subject: number; reason: string; details: { n: number } }>(
      db(),
      sql`SELECT subject_id::int AS subject, reason, details FROM bulk_action_outcomes
          WHERE action_id = ${Number(created.id)} AND outcome = 'failed' ORDER BY subject_id`,
    );
    expect(outcomes.map((o) => o.subject)).toEqual([11, 22, 33, 44, 55, 66, 88, 99]);
    expect(outcomes.every((o) => o.details.n === o.subject && o.reason === 'multiple_of_eleven')).toBe(true);
    // The stats page reads the same outcomes (this type names no reasons: the fallback label).
    const stats = (await owner.request('GET', url(`/bulk-actions/${created.id}/stats?lang=en`))).json();
    expect(stats.reasons).toEqual([
      {
        outcome: 'skipped',
        reason: 'multiple_of_seven',
        label: 'Other reason (multiple_of_seven)',
        count: 14,
      },
      {
        outcome: 'failed',
        reason: 'multiple_of_eleven',
        label: 'Other reason (multiple_of_eleven)',
        count: 8,
      },
    ]);

    // Retry failed is the engine's default for any type: the failed subjects again.
    expect(done.controls).toContain('retry_failed');
    const retry = await h.services.bulkActions.retryFailed(actor, Number(created.id));
    expect(retry).toMatchObject({
      status: 'preparing',
      total: 8,
      name: 'Wiederholung: Test: 8 Zahlen zählen',
    });
    await runner.run(Number(retry.id));
    expect(await h.services.bulkActions.get(actor, Number(retry.id))).toMatchObject({
      status: 'completed',
      total: 8,
      failed: 8,
      succeeded: 0,
    });
  });

  it('answers at once while preparing; a freeze whose worker is gone goes on where it stopped, each item once', async () => {
    const created = await start(95);
    const id = Number(created.id);
    // The first worker loses its lease during its third batch (as if it died): 60 items stay frozen.
    itemCalls = 0;
    onItems = async (call, q) => {
      if (call === 3)
        await q.execute(sql`UPDATE bulk_actions SET lease_owner = 'dead-worker' WHERE id = ${id}`);
    };
    expect(await runner.prepare(id)).toBe(false);
    onItems = null;
    const halfway = await h.services.bulkActions.get(actor, id);
    expect(halfway).toMatchObject({ status: 'preparing', total: 95, prepared: 90 });
    // Its lease runs out; another worker takes over.
    await db().execute(
      sql`UPDATE bulk_actions SET lease_until = now() - interval '1 second' WHERE id = ${id}`,
    );
    const other = new BulkRunner(
      db(),
      h.clock,
      { chunk: 10, freeze: 30 },
      h.services.notifier,
      h.services.bulkTypes,
    );
    expect(await other.prepare(id)).toBe(true);
    const frozen = await rows<{ n: number; distinct: number; max: number; seqs: number }>(
      db(),
      sql`SELECT count(*)::int AS n, count(DISTINCT s)::int AS distinct, max(s)::int AS max,
                 (SELECT max(first_seq + cardinality(subjects) - 1) FROM bulk_action_batches WHERE action_id = ${id})::int AS seqs
          FROM bulk_action_batches b, unnest(b.subjects) s WHERE b.action_id = ${id}`,
    );
    expect(frozen[0]).toEqual({ n: 95, distinct: 95, max: 95, seqs: 95 });
    expect(await h.services.bulkActions.get(actor, id)).toMatchObject({
      status: 'queued',
      total: 95,
      prepared: 95,
    });
    await other.run(id);
    expect(await h.services.bulkActions.get(actor, id)).toMatchObject({ status: 'completed', processed: 95 });
  });

  it('a cancel while preparing stops the freeze; nothing runs', async () => {
    const created = await start(50);
    const cancelled = await h.services.bulkActions.cancel(actor, Number(created.id));
    expect(cancelled.status).toBe('cancelled');
    expect(await runner.prepare(Number(created.id))).toBe(false);
    await runner.run(Number(created.id));
    expect(await h.services.bulkActions.get(actor, Number(created.id))).toMatchObject({
      status: 'cancelled',
      prepared: 0,
      processed: 0,
    });
  });

  it('creates a contact action over HTTP at once: preparing, with the confirmed count, then frozen by the worker', async () => {
    const t = await createTenant(db());
    await seedContacts(db(), Number(t.subId), 60);
    const c = await login(h.app, t.users.owner, TEST_PASSWORD);
    const u = (p: string) => `/api/accounts/${t.subId}${p}`;
    const res = await c.request('POST', u('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { filter: { op: 'and', conditions: [] } },
      expectedCount: 60,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<BulkAction>()).toMatchObject({
      status: 'preparing',
      total: 60,
      prepared: 0,
      processed: 0,
      name: 'Delete 60 contacts',
    });
    // Contacts created after the create are not part of it, although the freeze runs later.
    await c.request('POST', u('/contacts'), { email: 'late@example.com' });
    const listed = (await c.request('GET', u('/bulk-actions?status=preparing'))).json().items;
    expect(listed.map((a: BulkAction) => a.id)).toEqual([res.json<BulkAction>().id]);
    await h.services.bulkRunner.run(Number(res.json<BulkAction>().id));
    const done = (await c.request('GET', u(`/bulk-actions/${res.json<BulkAction>().id}`))).json<BulkAction>();
    expect(done).toMatchObject({ status: 'completed', total: 60, succeeded: 60 });
    const live = await rows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM contacts WHERE account_id = ${Number(t.subId)} AND deleted_at IS NULL`,
    );
    expect(live[0]!.n).toBe(1);
  });
});
