// Bulk SMS on the engine against a local HTTP stand-in for Twilio: consent and phone validity
// honoured, the preview's encoding and cost, the status callback URL with the ledger id, a 429 with
// Retry-After postponing (not failing) the message, a provider refusal failing it with the
// provider's words, and quiet hours holding night-time messages until 08:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startSmsStub, type SmsStub } from '../../../../test/helpers/sms-provider-stub.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { saveSettings } from '../senders/senders.repo.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { MessagingPreview } from '../../../shared/bulk-messaging.ts';

describe(`bulk SMS (${ENGINE})`, () => {
  let h: TestHarness;
  let stub: SmsStub;
  let n = 0;

  beforeAll(async () => {
    stub = await startSmsStub();
    h = await createHarness({
      env: { HERALD_PUBLIC_URL: 'https://herald.example', HERALD_SMS_RATE: 'unlimited' },
    });
  });
  afterAll(async () => {
    await h.close();
    await stub.close();
  });
  const db = () => h.db.database.db;

  async function tenant(): Promise<{ accountId: number; client: Client; base: string }> {
    const t = await createTenant(db());
    const accountId = Number(t.subId);
    await saveSettings(
      db(),
      asAccountId(accountId),
      {
        smtpUrlSealed: null,
        emailRate: null,
        smsProvider: 'twilio',
        smsBaseUrl: stub.url,
        smsCredentialsSealed: h.services.secrets.seal(JSON.stringify(stub.twilio)),
        smsFrom: '+4915100000000',
        smsRate: null,
        webhookSecretSealed: null,
        webhookToken: `tok-${accountId}`,
      },
      null,
    );
    const client = await login(h.app, t.users.owner, TEST_PASSWORD);
    return { accountId, client, base: `/api/accounts/${accountId}` };
  }
  const phone = () => `+49151${String(1_000_000 + ++n).padStart(8, '0')}`;

  async function contacts(
    accountId: number,
    list: { phone: string | null; email?: string; consent?: string }[],
  ) {
    const ids: number[] = [];
    for (const c of list) {
      const [row] = await rows<{ id: number }>(
        db(),
        sql`INSERT INTO contacts (account_id, email, phone, first_name, sms_consent)
            VALUES (${accountId}, ${c.email ?? null}, ${c.phone}, 'Jörg', ${c.consent ?? 'subscribed'}) RETURNING id`,
      );
      ids.push(Number(row!.id));
    }
    return ids;
  }

  const body = (ids: number[], extra: Record<string, unknown> = {}) => ({
    channel: 'sms',
    selection: { contactIds: ids.map(String) },
    content: { text: 'Hallo {{ first_name }}, 20 % Rabatt heute!' },
    ...extra,
  });

  async function runAll(t: { client: Client; base: string }, id: string): Promise<BulkAction> {
    await h.services.bulkRunner.run(Number(id));
    for (let i = 0; i < 20; i++) {
      await db().execute(
        sql`UPDATE deliveries SET due_at = now() WHERE action_id = ${Number(id)} AND status = 'pending'`,
      );
      await h.services.deliveries.run(10_000);
      const a = (await t.client.request('GET', `${t.base}/bulk-actions/${id}`)).json<BulkAction>();
      if (a.status === 'completed') return a;
    }
    return (await t.client.request('GET', `${t.base}/bulk-actions/${id}`)).json<BulkAction>();
  }

  it('previews segments and cost, sends to consenting valid numbers only, with the status callback URL', async () => {
    const t = await tenant();
    const ok1 = phone();
    const ok2 = phone();
    const ids = await contacts(t.accountId, [
      { phone: ok1 },
      { phone: ok2 },
      { phone: phone(), consent: 'unsubscribed' },
      { phone: null, email: `x${n}@example.org` },
      { phone: '12345' },
    ]);
    const preview = await t.client.request('POST', `${t.base}/messaging/preview`, body(ids));
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json<MessagingPreview>()).toMatchObject({
      count: 5,
      sendable: 2,
      sms: { encoding: 'GSM-7', segments: 1, totalSegments: 2 },
    });
    const res = await t.client.request('POST', `${t.base}/messaging/sends`, body(ids));
    expect(res.statusCode, res.body).toBe(201);
    const action = res.json<BulkAction>();
    expect(await runAll(t, action.id)).toMatchObject({ status: 'completed', succeeded: 2, skipped: 3 });
    const sent = stub.accepted().filter((r) => [ok1, ok2].map((p) => p.slice(1)).includes(r.to));
    expect(sent.map((r) => r.body)).toEqual([
      'Hallo Jörg, 20 % Rabatt heute!',
      'Hallo Jörg, 20 % Rabatt heute!',
    ]);
    const ledger = await rows<{
      id: number;
      address: string;
      status: string;
      providerId: string | null;
      reason: string | null;
    }>(
      db(),
      sql`SELECT id::int, address, status, provider_message_id AS "providerId", reason FROM messages
          WHERE action_id = ${Number(action.id)} ORDER BY contact_id`,
    );
    expect(ledger.map((l) => [l.status, l.reason])).toEqual([
      ['sent', null],
      ['sent', null],
      ['skipped', 'no_consent'],
      ['skipped', 'no_address'],
      ['skipped', 'invalid_address'],
    ]);
    const first = sent.find((r) => `+${r.to}` === ok1)!;
    expect(ledger[0]!.providerId).toBe(first.id);
    expect(first.statusCallback).toBe(
      `https://herald.example/api/hooks/tok-${t.accountId}/sms/twilio/status?m=${ledger[0]!.id}`,
    );
  });

  it('429 with Retry-After postpones the message instead of failing it; a refusal fails with the provider’s words', async () => {
    const t = await tenant();
    const slow = phone();
    const refused = phone();
    stub.setNumberMode(slow, { mode: 'throttle', retryAfter: '1' }, 3);
    stub.setNumberMode(refused, { mode: 'reject' });
    const ids = await contacts(t.accountId, [{ phone: slow }, { phone: refused }]);
    const res = await t.client.request('POST', `${t.base}/messaging/sends`, body(ids));
    const action = res.json<BulkAction>();
    expect(await runAll(t, action.id)).toMatchObject({ status: 'completed', succeeded: 1, failed: 1 });
    expect(stub.requests.filter((r) => `+${r.to}` === slow).map((r) => r.status)).toEqual([
      429, 429, 429, 201,
    ]);
    const [delivery] = await rows<{ postponements: number; attempts: number }>(
      db(),
      sql`SELECT postponements, attempts FROM deliveries WHERE action_id = ${Number(action.id)} AND seq = 1`,
    );
    expect(delivery).toEqual({ postponements: 3, attempts: 4 });
    const [failed] = await rows<{ status: string; reason: string; detail: string }>(
      db(),
      sql`SELECT status, reason, detail FROM messages WHERE action_id = ${Number(action.id)} AND address = ${refused}`,
    );
    expect(failed).toMatchObject({ status: 'failed', reason: 'provider_rejected' });
    expect(failed!.detail.length).toBeGreaterThan(0);
  });

  it('quiet hours hold an SMS planned at night until 08:00 account time; without them it is due at once', async () => {
    // 23:30 in Berlin (before logging in: sessions follow this clock).
    h.clock.set(new Date('2026-11-25T22:30:00Z'));
    const t = await tenant();
    const ids = await contacts(t.accountId, [{ phone: phone() }]);
    const quiet = (await t.client.request('POST', `${t.base}/messaging/sends`, body(ids))).json<BulkAction>();
    const loud = (
      await t.client.request('POST', `${t.base}/messaging/sends`, body(ids, { quietHours: false }))
    ).json<BulkAction>();
    await h.services.bulkRunner.run(Number(quiet.id));
    await h.services.bulkRunner.run(Number(loud.id));
    const due = async (id: string) =>
      (
        await rows<{ due: string }>(
          db(),
          sql`SELECT due_at::text AS due FROM deliveries WHERE action_id = ${Number(id)}`,
        )
      ).map((r) => new Date(r.due).toISOString());
    expect(await due(quiet.id)).toEqual(['2026-11-26T07:00:00.000Z']);
    const [loudDue] = await due(loud.id);
    // Due at once (the outbox's own time).
    expect(Math.abs(new Date(loudDue!).getTime() - Date.now())).toBeLessThan(60_000);
  });
});
