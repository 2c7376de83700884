// The engine under the API: live events across processes' connections, and pause semantics
// (no startable type offers pause yet; messaging will, and the runner already honours it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { openDatabase } from '../../db/client.ts';
import { buildApp } from '../../app.ts';
import { buildServices } from '../../services.ts';
import { SecretBox } from '../../security/secret-box.ts';
import { rows, type Database } from '../../db/types.ts';
import { seedContacts } from '../../seed/demo.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { FastifyInstance } from 'fastify';
import { sseReader, type SseEvent } from '../../../../test/helpers/sse.ts';

describe(`bulk engine (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let base: string;
  // A second API "process": its own app and its own database connection (and LISTEN), no worker.
  let second: { app: FastifyInstance; database: Database } | undefined;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;

  beforeAll(async () => {
    h = await createHarness({ worker: true, env: { HERALD_BULK_CHUNK: '25' } });
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await seedContacts(h.db.database.db, Number(tenant.subId), 200);
    if (h.db.config.kind === 'postgres') {
      const database = await openDatabase(h.db.config);
      const services = buildServices(
        h.config,
        database,
        h.clock,
        new SecretBox('test-secret-0123456789-0123456789'),
        h.queue,
      );
      second = {
        app: await buildApp({ config: h.config, database, services, web: false, logger: false }),
        database,
      };
      base = await second.app.listen({ port: 0, host: '127.0.0.1' });
    } else {
      base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    }
  });
  afterAll(async () => {
    await second?.app.close();
    await second?.database.close();
    await h.close();
  });

  it('streams a snapshot, then every change up to completion, to an API process that is not the worker', async () => {
    const tag = (await owner.request('POST', url('/tags'), { name: 'live' })).json();
    const stream = await fetch(`${base}${url('/bulk-actions/events')}`, {
      headers: { cookie: owner.cookie },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    let id = '';
    const reader = sseReader(stream);
    const action = (e: SseEvent) => (e.event === 'action' ? (JSON.parse(e.data) as BulkAction) : undefined);
    const eventsPromise = reader.until(
      (e) => action(e)?.id === id && action(e)?.status === 'completed',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    id = (
      await owner.request('POST', url('/bulk-actions'), {
        type: 'add_tag',
        tagId: tag.id,
        selection: { filter: { op: 'and', conditions: [] } },
      })
    ).json().id;
    const events = await eventsPromise;
    await reader.cancel();
    expect(events[0]!.event).toBe('snapshot');
    const mine = events.map(action).filter((a) => a?.id === id) as BulkAction[];
    expect(mine.at(-1)).toMatchObject({ status: 'completed', processed: 200, succeeded: 200 });
    // Progress is monotonic.
    const processed = mine.map((a) => a.processed);
    expect([...processed].sort((a, b) => a - b)).toEqual(processed);
  });

  it('refuses the event stream to strangers', async () => {
    const other = await createTenant(h.db.database.db);
    const stranger = await login(h.app, other.users.owner, TEST_PASSWORD);
    const res = await fetch(`${base}${url('/bulk-actions/events')}`, {
      headers: { cookie: stranger.cookie },
    });
    expect(res.status).toBe(404);
  });

  /**
   * Starts an add-tag over all 200 contacts (25 per chunk) and, while its first chunk is running
   * (inside the chunk's transaction, before it commits), writes what the pause control of a
   * messaging job writes. Resolves once the runner has stopped. `chunks` lists every chunk run.
   */
  async function pausedDuringFirstChunk(name: string) {
    const db = h.db.database.db;
    const tag = (await owner.request('POST', url('/tags'), { name })).json();
    // Scheduled far ahead, so that no chunk runs before the hook below knows the action's id.
    const created = (
      await owner.request('POST', url('/bulk-actions'), {
        type: 'add_tag',
        tagId: tag.id,
        selection: { filter: { op: 'and', conditions: [] } },
        scheduledFor: new Date(h.clock.now().getTime() + 86_400_000).toISOString(),
      })
    ).json<BulkAction>();
    const id = Number(created.id);
    const chunks: number[] = [];
    let pause: Promise<unknown> | undefined;
    h.services.bulkRunner.duringChunk = (tx, actionId, from) => {
      if (actionId !== id) return;
      chunks.push(from);
      // Written in the chunk's own transaction: the pause lands exactly while the first chunk runs.
      if (chunks.length === 1) {
        // (Drizzle queries run when awaited: run it once, here, and keep the outcome.)
        const paused = (async () => {
          await tx.execute(sql`UPDATE bulk_actions SET status = 'paused' WHERE id = ${id}`);
        })();
        pause = paused;
        return paused;
      }
    };
    await db.execute(sql`UPDATE bulk_actions SET scheduled_for = NULL WHERE id = ${id}`);
    await h.queue.send('bulk.run', { actionId: id });
    await expect.poll(() => pause !== undefined, { timeout: 30_000 }).toBe(true);
    await pause;
    // The runner has stopped once its lease is no longer being renewed by new chunks.
    let seen = -1;
    await expect
      .poll(
        async () => {
          const before = seen;
          seen = chunks.length;
          await new Promise((r) => setTimeout(r, 300));
          return before === chunks.length;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const state = async () =>
      (
        await rows<{ processed: number; cursor: number; status: string; tagged: number }>(
          db,
          sql`SELECT processed, cursor, status,
                (SELECT count(*)::int FROM contact_tags WHERE tag_id = ${Number(tag.id)}) AS tagged
              FROM bulk_actions WHERE id = ${id}`,
        )
      )[0]!;
    return { id, tag, chunks, state };
  }

  it('pauses after the running chunk and resumes where it stopped, counting every item once', async () => {
    const { id, chunks, state } = await pausedDuringFirstChunk('paused');
    const paused = await state();
    expect(paused.status).toBe('paused');
    // The chunk that was running when the pause came finished; no further chunk started.
    expect(paused.processed).toBeGreaterThan(0);
    expect(paused.processed % 25).toBe(0);
    expect(paused.processed).toBeLessThan(200);
    expect(paused.cursor).toBe(paused.processed);
    expect(paused.tagged).toBe(paused.processed);
    expect(chunks).toHaveLength(paused.processed / 25);
    await new Promise((r) => setTimeout(r, 800));
    expect(await state()).toEqual(paused);

    await h.db.database.db.execute(sql`UPDATE bulk_actions SET status = 'in_progress' WHERE id = ${id}`);
    await h.queue.send('bulk.run', { actionId: id });
    await expect
      .poll(async () => (await owner.request('GET', url(`/bulk-actions/${id}`))).json().status, {
        timeout: 30_000,
      })
      .toBe('completed');
    h.services.bulkRunner.duringChunk = undefined;
    const done = (await owner.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>();
    expect(done).toMatchObject({ total: 200, processed: 200, succeeded: 200, failed: 0, skipped: 0 });
    // Resumed at the cursor: every chunk ran exactly once, in order.
    expect(chunks).toEqual(Array.from({ length: 8 }, (_, i) => i * 25));
    expect((await state()).tagged).toBe(200);
  });

  it('restarts an action whose worker died (expired lease) from its cursor', async () => {
    const { id, chunks, state } = await pausedDuringFirstChunk('orphan');
    const stopped = await state();
    expect(stopped.cursor).toBeGreaterThan(0);
    expect(stopped.cursor).toBeLessThan(200);
    // Leave it as a dead worker would: in progress, half done, a lease held by nobody alive.
    await h.db.database.db.execute(
      sql`UPDATE bulk_actions SET status = 'in_progress', lease_owner = 'dead-worker', lease_until = now() - interval '1 second' WHERE id = ${id}`,
    );
    // No one sends bulk.run: the sweep (every 10 s) must find it.
    await expect
      .poll(async () => (await owner.request('GET', url(`/bulk-actions/${id}`))).json().status, {
        timeout: 40_000,
        interval: 500,
      })
      .toBe('completed');
    h.services.bulkRunner.duringChunk = undefined;
    const done = (await owner.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>();
    expect(done).toMatchObject({ processed: 200, succeeded: 200, skipped: 0 });
    expect(chunks[stopped.cursor / 25]).toBe(stopped.cursor);
    expect(chunks).toEqual(Array.from({ length: 8 }, (_, i) => i * 25));
  });
});
