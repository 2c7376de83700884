// Test kit for the client-account system: an agency with N sub-accounts and its owner's client,
// elements inserted directly (templates, mailings, lists, SmartLists, sender profiles), substitutes,
// and driving a distribution to its end (start over HTTP, run the runner in this process).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rows } from '../../src/server/db/types.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { insertAccount } from '../../src/server/modules/accounts/accounts.repo.ts';
import { insertUser, upsertMembership } from '../../src/server/modules/users/users.repo.ts';
import { hashPassword } from '../../src/server/security/passwords.ts';
import type { CreateDistributionBody, Distribution, ElementKind } from '../../src/shared/distribution.ts';
import type { Role } from '../../src/shared/rights.ts';
import { login, type Client, type TestHarness } from './app.ts';
import { createTenant, TEST_PASSWORD } from './tenants.ts';

export interface Agency {
  agencyId: number;
  /** The sub-accounts, in creation order (`Client <label> 1`, …). */
  subIds: number[];
  /** The agency owner's client (reaches every sub-account). */
  client: Client;
  /** `/api/accounts/<agencyId>` */
  base: string;
  /** Login email per role, each a member of the agency. */
  users: Record<Role, string>;
  label: string;
}

export function distributionKit(h: () => TestHarness) {
  const db = () => h().db.database.db;
  let seq = 0;

  /** An agency with `subs` sub-accounts (named `Client <label> <i>`) and its owner logged in. */
  async function agency(subs = 2): Promise<Agency> {
    const label = randomBytes(4).toString('hex');
    const t = await createTenant(db(), label);
    const agencyId = Number(t.agencyId);
    const subIds = [Number(t.subId)];
    for (let i = 2; i <= subs; i++) {
      subIds.push(
        await insertAccount(db(), { name: `Client ${label} ${i}`, kind: 'sub_account', parentId: agencyId }),
      );
    }
    if (subs < 1) subIds.length = 0;
    const client = await login(h().app, t.users.owner, TEST_PASSWORD);
    return { agencyId, subIds, client, base: `/api/accounts/${agencyId}`, users: t.users, label };
  }

  /** A user whose only membership is `role` in `accountId`; returns the logged-in client. */
  async function memberOf(accountId: number, role: Role): Promise<Client> {
    const email = `${role}.${randomBytes(4).toString('hex')}@test.example`;
    const user = await insertUser(db(), {
      email,
      name: `Member ${email}`,
      passwordHash: await hashPassword(TEST_PASSWORD),
    });
    await upsertMembership(db(), asAccountId(accountId), user.id, role, false);
    return login(h().app, email, TEST_PASSWORD);
  }

  async function insertId(query: ReturnType<typeof sql>): Promise<number> {
    const [row] = await rows<{ id: number }>(db(), query);
    return Number(row!.id);
  }

  /** An email template (or SMS with `channel: 'sms'`). */
  const template = (
    accountId: number,
    t: { name?: string; subject?: string; html?: string; channel?: 'email' | 'sms'; text?: string } = {},
  ) =>
    insertId(
      t.channel === 'sms'
        ? sql`INSERT INTO message_templates (account_id, channel, name, text_body)
              VALUES (${accountId}, 'sms', ${t.name ?? `SMS ${++seq}`}, ${t.text ?? 'Hi'}) RETURNING id`
        : sql`INSERT INTO message_templates (account_id, channel, name, subject, html)
              VALUES (${accountId}, 'email', ${t.name ?? `Template ${++seq}`}, ${t.subject ?? 'Hello'},
                      ${t.html ?? '<p>Hello</p>'}) RETURNING id`,
    );

  const list = (accountId: number, name = `List ${++seq}`) =>
    insertId(
      sql`INSERT INTO subscriber_lists (account_id, name) VALUES (${accountId}, ${name}) RETURNING id`,
    );

  const targetGroup = (accountId: number, name = `Group ${++seq}`) =>
    insertId(
      sql`INSERT INTO smart_lists (account_id, name, filter)
          VALUES (${accountId}, ${name}, '{"op":"and","conditions":[]}'::jsonb) RETURNING id`,
    );

  const senderProfile = (accountId: number, name = `Sender ${++seq}`) =>
    insertId(
      sql`INSERT INTO sender_profiles (account_id, name, from_name, from_address)
          VALUES (${accountId}, ${name}, 'Shop', 'news@shop.example') RETURNING id`,
    );

  /** A draft mailing (own content, or `templateId`) with its references. */
  async function mailing(
    accountId: number,
    m: {
      name?: string;
      templateId?: number | null;
      subject?: string;
      html?: string;
      senderProfileId?: number | null;
      listIds?: number[];
      targetGroupIds?: number[];
    } = {},
  ): Promise<number> {
    const withTemplate = m.templateId !== undefined && m.templateId !== null;
    const id = await insertId(
      sql`INSERT INTO mailings (account_id, name, template_id, subject, html, sender_profile_id, list_ids,
            target_group_ids, root_id)
          VALUES (${accountId}, ${m.name ?? `Mailing ${++seq}`}, ${m.templateId ?? null},
            ${withTemplate ? null : (m.subject ?? 'Hi')}, ${withTemplate ? null : (m.html ?? '<p>Hi</p>')},
            ${m.senderProfileId ?? null}, ${`{${(m.listIds ?? []).join(',')}}`}::bigint[],
            ${`{${(m.targetGroupIds ?? []).join(',')}}`}::bigint[], 0) RETURNING id`,
    );
    await db().execute(sql`UPDATE mailings SET root_id = id WHERE id = ${id}`);
    return id;
  }

  /** Registers in `targetId` element `substituteId` as standing for `sourceId` of `sourceAccountId`. */
  const substitute = (
    targetId: number,
    sourceAccountId: number,
    kind: ElementKind,
    sourceId: number,
    substituteId: number,
  ) =>
    insertId(
      sql`INSERT INTO substitutes (account_id, source_account_id, kind, source_id, substitute_id)
          VALUES (${targetId}, ${sourceAccountId}, ${kind}, ${sourceId}, ${substituteId}) RETURNING id`,
    );

  /** Starts a distribution (expects 202). */
  async function start(a: Agency, body: CreateDistributionBody, key?: string): Promise<Distribution> {
    const res = await a.client.request(
      'POST',
      `${a.base}/distributions`,
      body,
      key ? { 'idempotency-key': key } : {},
    );
    expect(res.statusCode, res.body).toBe(202);
    return res.json<Distribution>();
  }

  /** Runs a started distribution to its end in this process and answers it. */
  async function finish(a: Agency, id: string): Promise<Distribution> {
    await h().services.distributionRunner.run(Number(id));
    const res = await a.client.request('GET', `${a.base}/distributions/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Distribution>();
  }

  /**
   * Waits until a distribution completed when a worker runs the jobs (a harness with
   * `worker: true`); polls the API every 50 ms for up to `timeoutMs`.
   */
  async function waitFor(a: Agency, id: string, timeoutMs = 30_000): Promise<Distribution> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await a.client.request('GET', `${a.base}/distributions/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json<Distribution>();
      if (d.status !== 'running') return d;
      if (Date.now() > deadline) throw new Error(`distribution ${id} still running: ${res.body}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Start and run to the end. */
  const distribute = async (a: Agency, body: CreateDistributionBody, key?: string) =>
    finish(a, (await start(a, body, key)).id);

  /** Every target row of a distribution, by target account id. */
  async function targetsOf(a: Agency, id: string) {
    const res = await a.client.request('GET', `${a.base}/distributions/${id}/targets?limit=1000`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { account: { id: string }; status: string; reason: string | null }[] }>()
      .items;
    return new Map(items.map((t) => [Number(t.account.id), t]));
  }

  /** Notifications of a type in an account (params, subject, recipients). */
  const notificationsOf = (accountId: number, type: string) =>
    rows<{ id: number; params: Record<string, unknown>; subjectKind: string; subjectId: string }>(
      db(),
      sql`SELECT id::int AS id, params, subject_kind AS "subjectKind", subject_id AS "subjectId"
          FROM notifications WHERE account_id = ${accountId} AND type = ${type} ORDER BY id`,
    );

  /** The copy of a source element in an account (null: none). */
  async function copyOf(accountId: number, table: 'message_templates' | 'mailings', originId: number) {
    const [row] = await rows<Record<string, unknown> & { id: number }>(
      db(),
      sql`SELECT * FROM ${sql.raw(table)} WHERE account_id = ${accountId} AND origin_id = ${originId}`,
    );
    return row ?? null;
  }

  /** A checksum of whole tables (md5 over their rows in id order), to prove nothing was written. */
  async function checksum(tables: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const t of tables) {
      const [row] = await rows<{ sum: string | null; n: number }>(
        db(),
        sql`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS sum, count(*)::int AS n
            FROM ${sql.raw(t)} x`,
      );
      out[t] = `${row?.n}:${row?.sum}`;
    }
    return out;
  }

  return {
    db,
    agency,
    memberOf,
    template,
    list,
    targetGroup,
    senderProfile,
    mailing,
    substitute,
    start,
    finish,
    waitFor,
    distribute,
    targetsOf,
    notificationsOf,
    copyOf,
    checksum,
  };
}
