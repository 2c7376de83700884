// Test kit for standard mailings: a tenant with its owner's client, contacts, subscriber lists,
// target groups (SmartLists on the last name), a sender profile, and driving a send to its end.
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rows } from '../../src/server/db/types.ts';
import type { Mailing } from '../../src/shared/mailings.ts';
import { login, type Client, type TestHarness } from './app.ts';
import { createTenant, TEST_PASSWORD } from './tenants.ts';
import type { Role } from '../../src/shared/rights.ts';

export interface MailingTenant {
  accountId: number;
  client: Client;
  base: string;
  /** Login email per role. */
  users: Record<Role, string>;
  subId: string;
}

export function mailingKit(h: () => TestHarness) {
  const db = () => h().db.database.db;
  let label = 0;

  async function tenant(): Promise<MailingTenant> {
    const t = await createTenant(db());
    const client = await login(h().app, t.users.owner, TEST_PASSWORD);
    return {
      accountId: Number(t.subId),
      client,
      base: `/api/accounts/${t.subId}`,
      users: t.users,
      subId: t.subId,
    };
  }

  /** A contact: address (null: none), consent, target-group marker in last_name; returns its id. */
  async function contact(
    accountId: number,
    c: { email: string | null; consent?: string; group?: string; first?: string },
  ): Promise<number> {
    const [row] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO contacts (account_id, email, phone, first_name, last_name, email_consent)
          VALUES (${accountId}, ${c.email}, ${c.email === null ? '+4915112345678' : null}, ${c.first ?? 'Ann'},
                  ${c.group ?? null}, ${c.consent ?? 'subscribed'})
          RETURNING id`,
    );
    return Number(row!.id);
  }

  async function list(accountId: number, members: number[]): Promise<number> {
    const [row] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO subscriber_lists (account_id, name) VALUES (${accountId}, ${`List ${++label}`}) RETURNING id`,
    );
    const id = Number(row!.id);
    for (const m of members)
      await db().execute(
        sql`INSERT INTO list_members (account_id, list_id, contact_id) VALUES (${accountId}, ${id}, ${m})`,
      );
    return id;
  }

  /** A SmartList: contacts whose last name is `group`. */
  async function targetGroup(accountId: number, group: string): Promise<number> {
    const filter = {
      op: 'and',
      conditions: [{ type: 'field', field: 'last_name', op: 'equals', value: group }],
    };
    const [row] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO smart_lists (account_id, name, filter)
          VALUES (${accountId}, ${`Group ${group} ${++label}`}, ${JSON.stringify(filter)}::jsonb) RETURNING id`,
    );
    return Number(row!.id);
  }

  async function senderProfile(accountId: number, isDefault = true): Promise<number> {
    const [row] = await rows<{ id: number }>(
      db(),
      sql`INSERT INTO sender_profiles (account_id, name, from_name, from_address, is_default)
          VALUES (${accountId}, ${`Sender ${++label}`}, 'Shop', 'news@shop.example', ${isDefault}) RETURNING id`,
    );
    return Number(row!.id);
  }

  const addr = (name: string) => `${name}.${++label}@example.org`;

  async function createMailing(t: MailingTenant, body: Record<string, unknown>): Promise<Mailing> {
    const res = await t.client.request('POST', `${t.base}/mailings`, {
      name: `Mailing ${++label}`,
      subject: 'Hello {{ first_name }}',
      html: '<p>Hi {{ first_name }}</p>',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Mailing>();
  }

  const getMailing = async (t: MailingTenant, id: string) =>
    (await t.client.request('GET', `${t.base}/mailings/${id}`)).json<Mailing>();

  /** Runs the mailing's action and its deliveries (retries made due at once) until it ended. */
  async function sendAll(t: MailingTenant, id: string): Promise<Mailing> {
    const m = await getMailing(t, id);
    expect(m.actionId, JSON.stringify(m)).not.toBeNull();
    const actionId = Number(m.actionId);
    await h().services.bulkRunner.run(actionId);
    for (let i = 0; i < 30; i++) {
      await db().execute(
        sql`UPDATE deliveries SET due_at = now() WHERE action_id = ${actionId} AND status = 'pending'`,
      );
      await h().services.deliveries.run(10_000);
      await h().services.bulkRunner.run(actionId);
      const now = await getMailing(t, id);
      if (!['sending', 'paused', 'scheduled'].includes(now.status)) return now;
    }
    return getMailing(t, id);
  }

  /** Notifications of a type about a mailing. */
  const notificationsOf = (accountId: number, type: string, mailingId: string) =>
    rows<{ id: number; params: Record<string, unknown>; occurrences: number }>(
      db(),
      sql`SELECT id::int AS id, params, occurrences FROM notifications
          WHERE account_id = ${accountId} AND type = ${type} AND subject_id = ${mailingId} ORDER BY id`,
    );

  return {
    db,
    tenant,
    contact,
    list,
    targetGroup,
    senderProfile,
    addr,
    createMailing,
    getMailing,
    sendAll,
    notificationsOf,
  };
}
