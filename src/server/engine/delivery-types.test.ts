// A bulk action type whose items are outside calls, registered from this file: its chunks only add
// deliveries to the outbox; a loopback HTTP server answers them (ok, 500 then ok, 422); each
// delivery's final state is counted on the action exactly once, and the action completes with the
// last one. Pause holds the deliveries not yet claimed; resume sends them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createHarness, login, type TestHarness } from '../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../test/helpers/database.ts';
import { startLoopback, type LoopbackServer } from '../../../test/helpers/loopback-http.ts';
import { createFinalsTable, loopbackKind, loopbackSubject } from '../../../test/helpers/loopback-kind.ts';
import { rows } from '../db/types.ts';
import { asAccountId } from '../db/tenant.ts';
import type { Actor } from '../jobs/types.ts';
import { bulkDeliveryKind, deliveryChunk } from './delivery-types.ts';
import type { ItemOutcome } from './registry.ts';

const N = 40;

describe(`a delivery type on the bulk engine (${ENGINE})`, () => {
  let h: TestHarness;
  let server: LoopbackServer;
  let actor: Actor;

  beforeAll(async () => {
    h = await createHarness();
    server = await startLoopback();
    await createFinalsTable(h.db.database.db);
    const kind = h.services.deliveryKinds.registerDeliveryKind(
      bulkDeliveryKind(
        loopbackKind(server.url, {
          name: 'test_ping_http',
          retryLimit: 3,
          // The loopback server shares this process's event loop with PGlite, which blocks it while a
          // query runs: a short time limit would turn a slow answer into a retry and an extra hit.
          timeoutMs: 15_000,
        }),
        h.services.bulkRunner,
      ),
    );
    h.services.bulkTypes.register({
      type: 'test_ping',
      params: z.object({}),
      controls: ['pause', 'resume', 'cancel', 'retry_failed'],
      rights: ['contacts.bulk'],
      items: async (_q, _action, source) => {
        const { upTo } = z.object({ upTo: z.number().int() }).parse(source);
        return (after, limit) =>
          sql`SELECT g AS id, g AS key FROM generate_series(${after + 1}::bigint, ${upTo}::bigint) g ORDER BY g LIMIT ${limit}`;
      },
      // Multiples of 10 have no address: skipped at once, never sent. 7, 14, … are refused (422);
      // 5, 15, … fail twice (500) before they go through.
      chunk: deliveryChunk(kind, async (_q, ctx, subjects) => {
        const send = new Map<number, z.input<typeof loopbackSubject>>();
        const outcomes = new Map<number, ItemOutcome>();
        for (const n of subjects) {
          if (n % 10 === 0) outcomes.set(n, { outcome: 'skipped', reason: 'no_address' });
          else
            send.set(n, {
              key: `${ctx.action.id}-${n}`,
              behaviour: n % 7 === 0 ? 'rejected' : n % 5 === 0 ? 'flaky' : 'ok',
            });
        }
        return { send, outcomes };
      }),
      name: (_lang, n) => `Ping ${n}`,
    });
    const t = await createTenant(h.db.database.db);
    const owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    const access = await h.services.access.accessTo(Number(owner.userId), asAccountId(Number(t.subId)));
    actor = { access: access!, userId: Number(owner.userId), language: 'en' };
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  const start = () =>
    h.services.bulkActions.start(actor, {
      type: 'test_ping',
      params: {},
      source: { upTo: N },
      expected: N,
      details: {},
    });
  const get = (id: string) => h.services.bulkActions.get(actor, Number(id));
  /** Sends until nothing is due any more (retries are due after 50 ms, 100 ms, …). */
  const dispatchUntil = async (done: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await done()); i++) {
      await h.services.deliveries.run(2_000);
      await new Promise((r) => setTimeout(r, 60));
    }
  };

  it('counts every item exactly once when its delivery is final, and completes with the last', async () => {
    const action = await start();
    await h.services.bulkRunner.run(Number(action.id));
    // Every chunk ran: the skips are counted, the rest is out.
    const waiting = await get(action.id);
    expect(waiting).toMatchObject({ status: 'in_progress', total: N, processed: 4, skipped: 4 });
    expect(server.requests.length).toBe(0);
    // The sweep does not restart it: only the deliveries' results can complete it.
    expect(await h.services.bulkRunner.findRunnable()).not.toContain(Number(action.id));

    await dispatchUntil(async () => (await get(action.id)).status === 'completed');
    const done = await get(action.id);
    // 7, 14, 21, 28, 35 refused; 10, 20, 30, 40 skipped; the other 31 sent (5, 15, 25 after two 500s).
    expect(done).toMatchObject({ status: 'completed', processed: N, succeeded: 31, failed: 5, skipped: 4 });
    const keys = (n: number) => server.hits(`${action.id}-${n}`);
    expect(keys(1)).toBe(1);
    expect(keys(5)).toBe(3);
    expect(keys(7)).toBe(1);
    expect(keys(10)).toBe(0);
    const outcomes = await rows<{ subject: number; outcome: string; reason: string }>(
      h.db.database.db,
      sql`SELECT subject_id::int AS subject, outcome, reason FROM bulk_action_outcomes
          WHERE action_id = ${Number(action.id)} ORDER BY subject_id`,
    );
    expect(outcomes.filter((o) => o.outcome === 'failed').map((o) => [o.subject, o.reason])).toEqual(
      [7, 14, 21, 28, 35].map((n) => [n, 'rejected']),
    );
    // One final state per delivery, and a delivery per item that was sent.
    const finals = await rows<{ n: number; distinct: number }>(
      h.db.database.db,
      sql`SELECT count(*)::int AS n, count(DISTINCT f.delivery_id)::int AS distinct FROM delivery_test_finals f
          JOIN deliveries d ON d.id = f.delivery_id WHERE d.action_id = ${Number(action.id)}`,
    );
    expect(finals[0]).toEqual({ n: 36, distinct: 36 });
  });

  it('pause holds the deliveries not yet claimed; resume sends them and completes', async () => {
    const action = await start();
    await h.services.bulkRunner.run(Number(action.id));
    await h.services.bulkActions.pause(actor, Number(action.id));
    const before = server.requests.length;
    await h.services.deliveries.run(2_000);
    expect(server.requests.length).toBe(before);
    expect(await get(action.id)).toMatchObject({ status: 'paused', processed: 4 });

    await h.services.bulkActions.resume(actor, Number(action.id));
    await h.services.bulkRunner.run(Number(action.id));
    await dispatchUntil(async () => (await get(action.id)).status === 'completed');
    expect(await get(action.id)).toMatchObject({
      status: 'completed',
      processed: N,
      succeeded: 31,
      failed: 5,
    });
  });
});
