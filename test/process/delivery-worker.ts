// A delivery worker process for the crash test: opens the test's PostgreSQL database, registers the
// loopback test kind (as a feature would register its own) and runs dispatch rounds until killed.
// Started by delivery-crash.test.ts with `node --import tsx`; prints "delivery worker ready".
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/server/db/client.ts';
import { DeliveryRegistry } from '../../src/server/engine/delivery/delivery-kinds.ts';
import { DeliveryDispatcher } from '../../src/server/engine/delivery/delivery-dispatcher.ts';
import { loopbackKind } from '../helpers/loopback-kind.ts';

const url = process.env.DELIVERY_TEST_DATABASE_URL;
const loopback = process.env.DELIVERY_TEST_LOOPBACK_URL;
if (!url || !loopback)
  throw new Error('DELIVERY_TEST_DATABASE_URL and DELIVERY_TEST_LOOPBACK_URL are required');

const database = await openDatabase({ kind: 'postgres', url });
const registry = new DeliveryRegistry();
registry.registerDeliveryKind(
  loopbackKind(loopback, { timeoutMs: Number(process.env.DELIVERY_TEST_TIMEOUT_MS) }),
);
const dispatcher = new DeliveryDispatcher(database.db, registry, {
  concurrency: Number(process.env.DELIVERY_TEST_CONCURRENCY),
  leaseMarginMs: Number(process.env.DELIVERY_TEST_LEASE_MARGIN_MS),
  workerId: `crash-worker-${process.pid}`,
});
console.log('delivery worker ready');
for (;;) {
  await dispatcher.run();
  await sleep(50);
}
