// A worker process for the bulk email crash test: opens the test's PostgreSQL database, wires the
// bulk email type, its delivery kind and the account channels as services.ts does (with short time
// limits), and runs what a Herald worker runs until it is killed: the bulk runner on every runnable
// action (`bulk.sweep` → `bulk.run`) and the delivery dispatcher, side by side.
// Started by messaging-crash.test.ts with `node --import tsx`; prints "messaging worker ready".
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../../src/server/clock.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { BulkRunner, FREEZE_BATCH } from '../../src/server/engine/runner.ts';
import { BulkTypeRegistry } from '../../src/server/engine/registry.ts';
import { bulkDeliveryKind } from '../../src/server/engine/delivery-types.ts';
import { DeliveryRegistry } from '../../src/server/engine/delivery/delivery-kinds.ts';
import { DeliveryDispatcher } from '../../src/server/engine/delivery/delivery-dispatcher.ts';
import { Notifier } from '../../src/server/modules/notifications/notifier.ts';
import { SelectionService } from '../../src/server/modules/selections/selection.service.ts';
import { AccountChannels } from '../../src/server/modules/senders/account-channels.ts';
import { messagingKinds } from '../../src/server/modules/messaging/messaging-kinds.ts';
import { registerMessagingBulkTypes } from '../../src/server/modules/messaging/messaging-bulk-types.ts';
import { SecretBox } from '../../src/server/security/secret-box.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const database = await openDatabase({ kind: 'postgres', url: env('MESSAGING_TEST_DATABASE_URL') });
const db = database.db;
const secrets = new SecretBox(env('MESSAGING_TEST_SECRET'));
const types = new BulkTypeRegistry();
const runner = new BulkRunner(
  db,
  systemClock,
  { chunk: Number(env('MESSAGING_TEST_CHUNK')), freeze: FREEZE_BATCH.postgres },
  new Notifier(systemClock, 60_000),
  types,
);
const channels = new AccountChannels(db, secrets, {
  smtpUrl: env('MESSAGING_TEST_SMTP_URL'),
  emailRate: null,
  smsRate: null,
  maxConnections: 8,
});
const kinds = messagingKinds(
  { db, clock: systemClock, secrets, publicUrl: 'https://herald.example', channels: () => channels },
  { emailTimeoutMs: Number(env('MESSAGING_TEST_TIMEOUT_MS')), retryBaseMs: 100 },
);
const deliveryKinds = new DeliveryRegistry();
registerMessagingBulkTypes(types, new SelectionService(db, systemClock), {
  email: deliveryKinds.registerDeliveryKind(bulkDeliveryKind(kinds.email, runner)),
  sms: deliveryKinds.registerDeliveryKind(bulkDeliveryKind(kinds.sms, runner)),
});
const dispatcher = new DeliveryDispatcher(db, deliveryKinds, {
  concurrency: Number(env('MESSAGING_TEST_CONCURRENCY')),
  leaseMarginMs: Number(env('MESSAGING_TEST_LEASE_MARGIN_MS')),
  workerId: `messaging-worker-${process.pid}`,
});

async function runActions(): Promise<never> {
  for (;;) {
    for (const id of await runner.findRunnable()) await runner.run(id);
    await sleep(100);
  }
}

async function dispatch(): Promise<never> {
  for (;;) {
    await dispatcher.run();
    await sleep(50);
  }
}

console.log('messaging worker ready');
await Promise.all([runActions(), dispatch()]);
