// A worker process for the delivery-type crash test: opens the test's PostgreSQL database,
// registers the loopback bulk type and its delivery kind (as a feature would register its own), and
// runs what a Herald worker runs for them until it is killed: the bulk runner on every runnable
// action (`bulk.sweep` → `bulk.run`) and the delivery dispatcher, side by side.
// Started by bulk-delivery-crash.test.ts with `node --import tsx`; prints "bulk delivery worker ready".
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../../src/server/clock.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { BulkRunner, FREEZE_BATCH } from '../../src/server/engine/runner.ts';
import { BulkTypeRegistry } from '../../src/server/engine/registry.ts';
import { bulkDeliveryKind } from '../../src/server/engine/delivery-types.ts';
import { DeliveryRegistry } from '../../src/server/engine/delivery/delivery-kinds.ts';
import { DeliveryDispatcher } from '../../src/server/engine/delivery/delivery-dispatcher.ts';
import { Notifier } from '../../src/server/modules/notifications/notifier.ts';
import { loopbackKind } from '../helpers/loopback-kind.ts';
import { registerLoopbackBulkType } from '../helpers/loopback-bulk-type.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const database = await openDatabase({ kind: 'postgres', url: env('BULK_DELIVERY_TEST_DATABASE_URL') });
const types = new BulkTypeRegistry();
const runner = new BulkRunner(
  database.db,
  systemClock,
  // Small chunks (the test's), frozen in batches as large as production's.
  { chunk: Number(env('BULK_DELIVERY_TEST_CHUNK')), freeze: FREEZE_BATCH.postgres },
  new Notifier(systemClock, 60_000),
  types,
);
const kinds = new DeliveryRegistry();
const kind = kinds.registerDeliveryKind(
  bulkDeliveryKind(
    loopbackKind(env('BULK_DELIVERY_TEST_LOOPBACK_URL'), {
      name: 'test_crash_ping_http',
      timeoutMs: Number(env('BULK_DELIVERY_TEST_TIMEOUT_MS')),
      retryLimit: 3,
    }),
    runner,
  ),
);
registerLoopbackBulkType(types, kind, { chunkDelayMs: Number(env('BULK_DELIVERY_TEST_CHUNK_DELAY_MS')) });
const dispatcher = new DeliveryDispatcher(database.db, kinds, {
  concurrency: Number(env('BULK_DELIVERY_TEST_CONCURRENCY')),
  leaseMarginMs: Number(env('BULK_DELIVERY_TEST_LEASE_MARGIN_MS')),
  workerId: `bulk-delivery-worker-${process.pid}`,
});

/** The sweep and `bulk.run` of a real worker, without the job queue: every runnable action, in turn. */
async function runActions(): Promise<never> {
  for (;;) {
    for (const id of await runner.findRunnable()) await runner.run(id);
    await sleep(100);
  }
}

/** The `deliveries.dispatch` job, round after round. */
async function dispatch(): Promise<never> {
  for (;;) {
    await dispatcher.run();
    await sleep(50);
  }
}

console.log('bulk delivery worker ready');
await Promise.all([runActions(), dispatch()]);
