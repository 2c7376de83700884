import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';

// A restore that restores nothing (0 succeeded, 1 failed) is "completed with errors", not a plain
// success: in the list filter, in the audit's totals, and in an error log the user can read.
describe(`bulk reports: completed with errors (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let restore: BulkAction;
  let deleteAction: BulkAction;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;

  async function finished(id: string): Promise<BulkAction> {
    let action: BulkAction | undefined;
    await expect
      .poll(
        async () =>
          (action = (await owner.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>()).status,
        { timeout: 30_000, interval: 200 },
      )
      .toMatch(/^(completed|cancelled|failed)$/);
    return action!;
  }

  beforeAll(async () => {
    // One item per chunk: the audit must hold the action's totals, not its last chunk's.
    h = await createHarness({ worker: true, env: { HERALD_BULK_CHUNK: '1' } });
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
  });
  afterAll(() => h.close());

  it('keeps the stored status and counts: completed, 0 succeeded, 2 failed', async () => {
    const anna = (await owner.request('POST', url('/contacts'), { email: 'anna@example.com' })).json();
    const ben = (await owner.request('POST', url('/contacts'), { email: 'ben@example.com' })).json();
    const started = await owner.request('POST', url('/bulk-actions'), {
      type: 'delete_contacts',
      selection: { contactIds: [anna.id, ben.id] },
    });
    expect(started.statusCode, started.body).toBe(201);
    deleteAction = await finished(started.json<BulkAction>().id);
    // Someone takes the addresses meanwhile: the restore cannot bring the contacts back.
    await owner.request('POST', url('/contacts'), { email: 'anna@example.com' });
    await owner.request('POST', url('/contacts'), { email: 'ben@example.com' });
    const queued = await owner.request('POST', url(`/bulk-actions/${deleteAction.id}/restore`));
    expect(queued.statusCode, queued.body).toBe(201);
    restore = await finished(queued.json<BulkAction>().id);
    expect(restore).toMatchObject({ status: 'completed', succeeded: 0, failed: 2, processed: 2 });
  });

  it('filters by the shown state: completed_with_errors vs completed', async () => {
    const list = async (query: string) =>
      ((await owner.request('GET', url(`/bulk-actions?${query}`))).json().items as BulkAction[]).map(
        (a) => a.id,
      );
    expect(await list('status=completed_with_errors')).toEqual([restore.id]);
    expect(await list('status=completed')).toEqual([deleteAction.id]);
    expect((await list('status=completed&status=completed_with_errors')).sort()).toEqual(
      [restore.id, deleteAction.id].sort(),
    );
    expect((await owner.request('GET', url('/bulk-actions?status=bogus'))).statusCode).toBe(400);
  });

  it("records the action's totals in the audit's completed entry", async () => {
    const items = (await owner.request('GET', url(`/bulk-actions/${restore.id}/audit`))).json().items as {
      event: string;
      details: Record<string, unknown>;
    }[];
    expect(items.find((e) => e.event === 'completed')?.details).toEqual({
      processed: 2,
      succeeded: 0,
      failed: 2,
      skipped: 0,
    });
  });

  it('writes the error log in the requested language, else in the user setting', async () => {
    const csv = async (query = '') =>
      (await owner.request('GET', url(`/bulk-actions/${restore.id}/errors.csv${query}`))).body
        .trim()
        .split('\n');
    const id = (await csv())[1]!.split(',')[0];
    expect((await csv('?lang=de')).slice(0, 2)).toEqual([
      'Kontakt-ID,E-Mail oder Telefon,Ergebnis,Grund,Details,Grund-Code',
      `${id},anna@example.com,Fehlgeschlagen,Die E-Mail-Adresse nutzt inzwischen ein anderer Kontakt,,email_in_use`,
    ]);
    expect((await csv('?lang=en')).slice(0, 2)).toEqual([
      'Contact ID,Email or phone,Outcome,Reason,Details,Reason code',
      `${id},anna@example.com,Failed,Another contact uses this email address by now,,email_in_use`,
    ]);
    expect((await owner.request('PATCH', '/api/me/settings', { language: 'de' })).statusCode).toBe(200);
    expect((await csv())[0]).toBe('Kontakt-ID,E-Mail oder Telefon,Ergebnis,Grund,Details,Grund-Code');
    expect(
      (await owner.request('GET', url(`/bulk-actions/${restore.id}/errors.csv?lang=xx`))).statusCode,
    ).toBe(400);
  });
});
