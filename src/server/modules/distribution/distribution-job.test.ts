// The job path: a started distribution is run by the queue's worker (`distribution.run` from the
// catalog), not by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { distributionKit } from '../../../../test/helpers/distribution.ts';

describe(`distribution job (${ENGINE})`, () => {
  let h: TestHarness;
  const kit = distributionKit(() => h);

  beforeAll(async () => {
    h = await createHarness({ worker: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('the worker runs a started distribution to its end', async () => {
    const a = await kit.agency(2);
    const tpl = await kit.template(a.agencyId, { name: 'Queued frame' });
    const started = await kit.start(a, {
      element: { kind: 'email_template', id: String(tpl) },
      targets: { mode: 'all' },
    });
    expect(started.counts.total).toBe(2);
    const done = await kit.waitFor(a, started.id, 60_000);
    expect(done).toMatchObject({ status: 'completed', counts: { created: 2, pending: 0 } });
    for (const sub of a.subIds) expect(await kit.copyOf(sub, 'message_templates', tpl)).not.toBeNull();
  });
});
