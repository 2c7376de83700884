import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type TestHarness } from '../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../test/helpers/database.ts';
import { rows } from '../db/types.ts';
import { JobQueue } from './queue.ts';

describe(`job queue on pg-boss (${ENGINE})`, () => {
  let h: TestHarness;
  let queue: JobQueue;
  beforeAll(async () => {
    h = await createHarness({ worker: true });
    queue = h.queue;
  });
  afterAll(() => h.close());

  it('runs a catalog job through the queue: the purge removes lapsed sessions', async () => {
    const tenant = await createTenant(h.db.database.db);
    await login(h.app, tenant.users.viewer, TEST_PASSWORD);
    const count = async () =>
      (await rows<{ n: number }>(h.db.database.db, sql`SELECT count(*)::int AS n FROM sessions`))[0]!.n;
    expect(await count()).toBe(1);
    h.clock.advance(h.config.session.maxMs + 1000);
    await queue.send('auth.purge-expired', {});
    await expect.poll(count, { timeout: 20_000, interval: 250 }).toBe(0);
  });

  it('refuses a payload that does not match the catalog schema, and unknown jobs', async () => {
    // Both are compile errors too (JobPayloads); the run-time check guards callers that cast.
    await expect(queue.send('auth.purge-expired', { unexpected: true } as never)).rejects.toThrow();
    await expect(queue.send('no.such-job' as never, {} as never)).rejects.toThrow(/Unknown job/);
  });
});
