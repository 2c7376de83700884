// A worker process for the distribution crash test: opens the test's PostgreSQL database and runs
// what a Herald worker runs for distributions until it is killed: the sweep's query (running
// distributions without a live lease) and the runner on each. A short lease, so recovery after a
// kill is quick. Started by distribution-crash.test.ts with `node --import tsx`; prints
// "distribution worker ready".
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../../src/server/clock.ts';
import { openDatabase } from '../../src/server/db/client.ts';
import { AccessService } from '../../src/server/modules/accounts/access.service.ts';
import { Notifier } from '../../src/server/modules/notifications/notifier.ts';
import { DistributionRunner } from '../../src/server/modules/distribution/distribution-runner.ts';

const url = process.env.DISTRIBUTION_TEST_DATABASE_URL;
if (!url) throw new Error('DISTRIBUTION_TEST_DATABASE_URL is required');
const database = await openDatabase({ kind: 'postgres', url });
const db = database.db;
const runner = new DistributionRunner(
  db,
  systemClock,
  new AccessService(db),
  new Notifier(systemClock, 60_000),
  {
    leaseMs: Number(process.env.DISTRIBUTION_TEST_LEASE_MS ?? 1_500),
  },
);

console.log('distribution worker ready');
for (;;) {
  for (const id of await runner.findRunnable()) await runner.run(id);
  await sleep(100);
}
