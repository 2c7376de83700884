// Distribution rules and bad input: targets outside the subtree or the source itself (400 naming
// the account, nothing written), idempotent starts, 409 busy, reference_deleted, substitute_deleted,
// copy_in_use, a target that keeps its own element, a target whose transaction fails for real (a
// trigger), the creator losing the right, activation across accounts, and tenancy (404 / 403, and
// a sub-account seeing only its own copies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { distributionKit } from '../../../../test/helpers/distribution.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { upsertMembership } from '../../modules/users/users.repo.ts';

describe(`distribution rules (${ENGINE})`, () => {
  let h: TestHarness;
  const kit = distributionKit(() => h);
  const db = () => kit.db();
  const errorOf = (res: { json<T>(): T }) =>
    res.json<{ error: { code: string; details?: Record<string, unknown> } }>().error;

  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('the source itself, an account outside its subtree, or no match: 400 naming the account, nothing written', async () => {
    const a = await kit.agency(1);
    const other = await kit.agency(1);
    const tpl = await kit.template(a.agencyId);
    const tables = ['distributions', 'distribution_targets', 'message_templates', 'notifications'];
    const before = await kit.checksum(tables);
    const element = { kind: 'email_template', id: String(tpl) };
    for (const [accountIds, reason, named] of [
      [[String(a.subIds[0]), String(a.agencyId)], 'self', a.agencyId],
      [[String(a.subIds[0]), String(other.subIds[0])], 'not_descendant', other.subIds[0]],
      [[String(other.agencyId)], 'not_descendant', other.agencyId],
      [['999999999'], 'not_descendant', 999999999],
    ] as const) {
      for (const path of ['/distributions', '/distribution/plan']) {
        const res = await a.client.request('POST', `${a.base}${path}`, {
          element,
          targets: { mode: 'selected', accountIds },
        });
        expect(res.statusCode, res.body).toBe(400);
        expect(errorOf(res)).toMatchObject({
          code: 'DISTRIBUTION_TARGET_INVALID',
          details: { accountId: String(named), reason },
        });
      }
    }
    const none = await a.client.request('POST', `${a.base}/distributions`, {
      element,
      targets: { mode: 'name', filter: 'no such client' },
    });
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).details).toMatchObject({ reason: 'none' });
    expect(await kit.checksum(tables)).toEqual(before);
    // Another account's element: 404.
    const foreign = await a.client.request('POST', `${a.base}/distributions`, {
      element: { kind: 'email_template', id: String(await kit.template(other.agencyId)) },
      targets: { mode: 'all' },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('a double submit with one Idempotency-Key starts one distribution; a second start while it runs is 409 busy', async () => {
    const a = await kit.agency(2);
    const tpl = await kit.template(a.agencyId);
    const body = {
      element: { kind: 'email_template' as const, id: String(tpl) },
      targets: { mode: 'all' as const },
    };
    const [one, two] = await Promise.all([kit.start(a, body, 'key-1'), kit.start(a, body, 'key-1')]);
    expect(two.id).toBe(one.id);
    const busy = await a.client.request('POST', `${a.base}/distributions`, body, {
      'idempotency-key': 'key-2',
    });
    expect(busy.statusCode).toBe(409);
    expect(errorOf(busy).code).toBe('DISTRIBUTION_BUSY');
    const [count] = await rows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM distributions WHERE account_id = ${a.agencyId}`,
    );
    expect(count!.n).toBe(1);
    expect(await h.services.distributionRunner.findRunnable()).toContain(Number(one.id));
    const done = await kit.finish(a, one.id);
    expect(done.counts.created).toBe(2);
    expect(await h.services.distributionRunner.findRunnable()).not.toContain(Number(one.id));
    // Running it again changes nothing (no pending target) and notifies nobody again.
    await h.services.distributionRunner.run(Number(one.id));
    expect(await kit.notificationsOf(a.agencyId, 'distribution.source_summary')).toHaveLength(1);
    const after = await kit.start(a, body, 'key-1');
    expect(after.id).toBe(one.id);
  });

  it('reference deleted in the source, deleted substitute, copy in use, and a target that keeps its own element', async () => {
    const a = await kit.agency(4);
    const [s1, s2, s3, s4] = a.subIds as [number, number, number, number];
    const list = await kit.list(a.agencyId, 'Gone list');
    const mailing = await kit.mailing(a.agencyId, { name: 'With list', listIds: [list] });
    await db().execute(sql`DELETE FROM subscriber_lists WHERE id = ${list}`);
    const d = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(mailing) },
      targets: { mode: 'selected', accountIds: [String(s1)] },
    });
    const [t] = (await a.client.request('GET', `${a.base}/distributions/${d.id}/targets`)).json<{
      items: { reason: string; detail: { reference: unknown } }[];
    }>().items;
    expect(t).toMatchObject({
      reason: 'reference_deleted',
      detail: { reference: { kind: 'subscriber_list', id: String(list), name: `#${list}` } },
    });

    const list2 = await kit.list(a.agencyId, 'Kept list');
    const m2 = await kit.mailing(a.agencyId, { name: 'Second', listIds: [list2] });
    // s1: substitute registered, then its element deleted.
    const local = await kit.list(s1, 'Local');
    await kit.substitute(s1, a.agencyId, 'subscriber_list', list2, local);
    await db().execute(sql`DELETE FROM subscriber_lists WHERE id = ${local}`);
    // s2: a copy that was sent; s3: keeps its own mailing (registered as substitute for it).
    const sub2 = await kit.list(s2, 'L2');
    await kit.substitute(s2, a.agencyId, 'subscriber_list', list2, sub2);
    const own = await kit.mailing(s3, { name: 'Second' });
    await kit.substitute(s3, a.agencyId, 'mailing', m2, own);
    const body = {
      element: { kind: 'mailing' as const, id: String(m2) },
      targets: { mode: 'selected' as const, accountIds: [String(s1), String(s2), String(s3)] },
    };
    await kit.distribute(a, body);
    await db().execute(
      sql`UPDATE mailings SET status = 'sent' WHERE account_id = ${s2} AND origin_id = ${m2}`,
    );
    await db().execute(sql`UPDATE mailings SET subject = 'changed' WHERE id = ${m2}`);
    const d2 = await kit.distribute(a, body);
    const targets = await kit.targetsOf(a, d2.id);
    expect(targets.get(s1)).toMatchObject({ status: 'failed', reason: 'substitute_deleted' });
    expect(targets.get(s2)).toMatchObject({ status: 'failed', reason: 'copy_in_use' });
    expect(targets.get(s3)).toMatchObject({ status: 'skipped', reason: 'kept_local' });
    expect(await kit.copyOf(s3, 'mailings', m2)).toBeNull();
    // The sent copy has no kept version and cannot be removed: 409, and it stays.
    const rollback = await a.client.request(
      'POST',
      `${a.base}/distribution/elements/mailing/${m2}/targets/${s2}/rollback`,
    );
    expect(rollback.statusCode, rollback.body).toBe(409);
    expect(errorOf(rollback)).toMatchObject({ code: 'CONFLICT', details: { reason: 'copy_in_use' } });
    expect(await kit.copyOf(s2, 'mailings', m2)).not.toBeNull();
    // Rollback in an account outside the subtree: 400 naming it.
    const outside = await a.client.request(
      'POST',
      `${a.base}/distribution/elements/mailing/${m2}/targets/${a.agencyId}/rollback`,
    );
    expect(outside.statusCode).toBe(400);
    expect(errorOf(outside).details).toMatchObject({ accountId: String(a.agencyId), reason: 'self' });
    void s4;
  });

  it('an update whose name another element took meanwhile fails name_conflict and leaves the copy', async () => {
    const a = await kit.agency(1);
    const [s1] = a.subIds as [number];
    const tpl = await kit.template(a.agencyId, { name: 'Seasonal' });
    const body = {
      element: { kind: 'email_template' as const, id: String(tpl) },
      targets: { mode: 'all' as const },
    };
    await kit.distribute(a, body);
    await db().execute(
      sql`UPDATE message_templates SET name = 'Renamed' WHERE account_id = ${s1} AND origin_id = ${tpl}`,
    );
    await kit.template(s1, { name: 'SEASONAL' });
    await db().execute(sql`UPDATE message_templates SET subject = 'new' WHERE id = ${tpl}`);
    const d = await kit.distribute(a, { ...body, onModified: { [String(s1)]: 'overwrite' } });
    expect((await kit.targetsOf(a, d.id)).get(s1)).toMatchObject({
      status: 'failed',
      reason: 'name_conflict',
    });
    expect((await kit.copyOf(s1, 'message_templates', tpl))!).toMatchObject({
      name: 'Renamed',
      subject: 'Hello',
    });
  });

  it('a target whose transaction fails unexpectedly stays unchanged; the others are done', async () => {
    const a = await kit.agency(3);
    const [s1, s2, s3] = a.subIds as [number, number, number];
    const tpl = await kit.template(a.agencyId, { name: 'Fragile' });
    // A real failure inside s2's transaction: a trigger refuses any template written there.
    await db().execute(
      sql.raw(`CREATE FUNCTION refuse_s2() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.account_id = ${s2} THEN RAISE EXCEPTION 'disk quota of account ${s2}'; END IF; RETURN NEW; END $$`),
    );
    await db().execute(
      sql.raw(
        `CREATE TRIGGER refuse_s2 BEFORE INSERT ON message_templates FOR EACH ROW EXECUTE FUNCTION refuse_s2()`,
      ),
    );
    try {
      const d = await kit.distribute(a, {
        element: { kind: 'email_template', id: String(tpl) },
        targets: { mode: 'all' },
      });
      expect(d.counts).toMatchObject({ created: 2, failed: 1, pending: 0 });
      const targets = await kit.targetsOf(a, d.id);
      expect(targets.get(s2)).toMatchObject({ status: 'failed', reason: 'transaction_failed' });
      expect(JSON.stringify(targets.get(s2))).toContain('disk quota');
      expect(await kit.copyOf(s2, 'message_templates', tpl)).toBeNull();
      expect(await kit.copyOf(s1, 'message_templates', tpl)).not.toBeNull();
      expect(await kit.copyOf(s3, 'message_templates', tpl)).not.toBeNull();
      const results = await kit.notificationsOf(s2, 'distribution.target_result');
      expect(results).toHaveLength(1);
      expect(results[0]!.params).toMatchObject({ outcome: 'failed', code: 'transaction_failed' });
    } finally {
      await db().execute(sql`DROP TRIGGER refuse_s2 ON message_templates`);
    }
  });

  it('a poison target whose failure cannot be notified still fails; the run finishes with its summary', async () => {
    const a = await kit.agency(2);
    const [s1, s2] = a.subIds as [number, number];
    const tpl = await kit.template(a.agencyId, { name: 'Poison' });
    // Both of s2's transactions fail for real: its template insert (the target's own) and its
    // notification insert (the fallback that records transaction_failed).
    await db().execute(
      sql.raw(`CREATE FUNCTION poison_s2() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.account_id = ${s2} THEN RAISE EXCEPTION 'poisoned account ${s2}'; END IF; RETURN NEW; END $$`),
    );
    await db().execute(
      sql.raw(
        `CREATE TRIGGER poison_s2 BEFORE INSERT ON message_templates FOR EACH ROW EXECUTE FUNCTION poison_s2()`,
      ),
    );
    await db().execute(
      sql.raw(
        `CREATE TRIGGER poison_s2 BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION poison_s2()`,
      ),
    );
    try {
      const d = await kit.distribute(a, {
        element: { kind: 'email_template', id: String(tpl) },
        targets: { mode: 'all' },
      });
      expect(d).toMatchObject({ status: 'completed', counts: { created: 1, failed: 1, pending: 0 } });
      const targets = await kit.targetsOf(a, d.id);
      expect(targets.get(s1)).toMatchObject({ status: 'created' });
      expect(targets.get(s2)).toMatchObject({ status: 'failed', reason: 'transaction_failed' });
      expect(JSON.stringify(targets.get(s2))).toContain('poisoned account');
      const summaries = (await kit.notificationsOf(a.agencyId, 'distribution.source_summary')).filter(
        (n) => n.subjectId === d.id,
      );
      expect(summaries).toHaveLength(1);
      expect(summaries[0]!.params).toMatchObject({ succeeded: 1, failed: 1 });
      expect(await kit.notificationsOf(s2, 'distribution.target_result')).toHaveLength(0);
    } finally {
      await db().execute(sql`DROP TRIGGER poison_s2 ON notifications`);
      await db().execute(sql`DROP TRIGGER poison_s2 ON message_templates`);
    }
  });

  it('a creator who lost distribution.manage: every pending target fails not_permitted', async () => {
    const a = await kit.agency(2);
    const tpl = await kit.template(a.agencyId);
    const boss = await kit.memberOf(a.agencyId, 'owner');
    const res = await boss.request('POST', `${a.base}/distributions`, {
      element: { kind: 'email_template', id: String(tpl) },
      targets: { mode: 'all' },
    });
    expect(res.statusCode, res.body).toBe(202);
    await upsertMembership(db(), asAccountId(a.agencyId), Number(boss.userId), 'admin', true);
    const d = await kit.finish(a, res.json<{ id: string }>().id);
    expect(d.counts).toMatchObject({ failed: 2, created: 0 });
    for (const t of (await kit.targetsOf(a, d.id)).values()) expect(t.reason).toBe('not_permitted');
    expect(await kit.copyOf(a.subIds[0]!, 'message_templates', tpl)).toBeNull();
  });

  it('activation across accounts: copies flip, per-target results and notifications; no copy and running sends fail', async () => {
    const a = await kit.agency(3);
    const [s1, s2, s3] = a.subIds as [number, number, number];
    const mailing = await kit.mailing(a.agencyId, { name: 'Promo' });
    await kit.distribute(a, {
      element: { kind: 'mailing', id: String(mailing) },
      targets: { mode: 'selected', accountIds: [String(s1), String(s2)] },
    });
    // s2's copy is being sent: it cannot be deactivated.
    await db().execute(
      sql`UPDATE mailings SET status = 'sending' WHERE account_id = ${s2} AND origin_id = ${mailing}`,
    );
    const off = await kit.distribute(a, {
      operation: 'deactivate',
      element: { kind: 'mailing', id: String(mailing) },
      targets: { mode: 'all' },
    });
    expect(off.counts).toMatchObject({ total: 2, deactivated: 1, failed: 1 });
    expect((await kit.copyOf(s1, 'mailings', mailing))!.active).toBe(false);
    expect((await kit.copyOf(s2, 'mailings', mailing))!.active).toBe(true);
    const t = await kit.targetsOf(a, off.id);
    expect(t.get(s2)).toMatchObject({ status: 'failed', reason: 'copy_in_use' });
    const [result] = (await kit.notificationsOf(s1, 'distribution.target_result')).slice(-1);
    expect(result!.params).toMatchObject({ operation: 'deactivate', outcome: 'deactivated' });
    const [summary] = (await kit.notificationsOf(a.agencyId, 'distribution.source_summary')).slice(-1);
    expect(summary!.params).toMatchObject({ operation: 'deactivate', succeeded: 1, failed: 1 });

    const on = await kit.distribute(a, {
      operation: 'activate',
      element: { kind: 'mailing', id: String(mailing) },
      targets: { mode: 'selected', accountIds: [String(s1), String(s2), String(s3)] },
    });
    const t2 = await kit.targetsOf(a, on.id);
    expect(t2.get(s1)).toMatchObject({ status: 'activated' });
    expect(t2.get(s2)).toMatchObject({ status: 'unchanged' });
    expect(t2.get(s3)).toMatchObject({ status: 'failed', reason: 'no_copy' });
    expect((await kit.copyOf(s1, 'mailings', mailing))!.active).toBe(true);
  });

  it('tenancy: a sub-account user gets 404 on the agency routes, an admin 403; a sub-account sees only its own copies', async () => {
    const a = await kit.agency(2);
    const [s1, s2] = a.subIds as [number, number];
    const tpl = await kit.template(a.agencyId, { name: 'Agency frame' });
    const d = await kit.distribute(a, {
      element: { kind: 'email_template', id: String(tpl) },
      targets: { mode: 'all' },
    });
    const subUser = await kit.memberOf(s1, 'owner');
    const admin = await kit.memberOf(a.agencyId, 'admin');
    const routes: [string, string, unknown?][] = [
      ['GET', '/distribution/targets'],
      [
        'POST',
        '/distribution/plan',
        { element: { kind: 'email_template', id: String(tpl) }, targets: { mode: 'all' } },
      ],
      [
        'POST',
        '/distributions',
        { element: { kind: 'email_template', id: String(tpl) }, targets: { mode: 'all' } },
      ],
      ['GET', '/distributions'],
      ['GET', `/distributions/${d.id}`],
      ['GET', `/distributions/${d.id}/targets`],
      ['POST', `/distributions/${d.id}/retry`],
      ['GET', `/distribution/elements/email_template/${tpl}/copies`],
      ['POST', `/distribution/elements/email_template/${tpl}/targets/${s1}/rollback`],
    ];
    for (const [method, path, body] of routes) {
      const asSub = await subUser.request(method as 'GET', `${a.base}${path}`, body);
      expect(asSub.statusCode, `${method} ${path}`).toBe(404);
      const asAdmin = await admin.request(method as 'GET', `${a.base}${path}`, body);
      expect(asAdmin.statusCode, `${method} ${path}`).toBe(403);
    }
    // The sub-account user cannot trigger a distribution into the agency from its own account either.
    const ownTpl = await kit.template(s1, { name: 'Own frame' });
    const up = await subUser.request('POST', `/api/accounts/${s1}/distributions`, {
      element: { kind: 'email_template', id: String(ownTpl) },
      targets: { mode: 'selected', accountIds: [String(a.agencyId)] },
    });
    expect(up.statusCode, up.body).toBe(400);
    expect(errorOf(up)).toMatchObject({
      code: 'DISTRIBUTION_TARGET_INVALID',
      details: { accountId: String(a.agencyId), reason: 'not_descendant' },
    });
    // Nor name the agency's element from its own account.
    const foreign = await subUser.request('POST', `/api/accounts/${s1}/distribution/plan`, {
      element: { kind: 'email_template', id: String(tpl) },
      targets: { mode: 'all' },
    });
    expect(foreign.statusCode).toBe(404);
    // Its own copies through the templates API, with their origin; never the agency's element or s2's copy.
    const list = await subUser.request('GET', `/api/accounts/${s1}/templates`);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<{ items: { id: string; origin: { accountId: string } | null }[] }>().items;
    const own = (await kit.copyOf(s1, 'message_templates', tpl))!;
    expect(items.map((i) => i.id).sort()).toEqual([String(own.id), String(ownTpl)].sort());
    expect(items.find((i) => i.id === String(own.id))!.origin).toMatchObject({
      accountId: String(a.agencyId),
      version: 1,
    });
    expect(items.find((i) => i.id === String(ownTpl))!.origin).toBeNull();
    expect((await subUser.request('GET', `/api/accounts/${s1}/templates/${tpl}`)).statusCode).toBe(404);
    const other = (await kit.copyOf(s2, 'message_templates', tpl))!;
    expect((await subUser.request('GET', `/api/accounts/${s1}/templates/${other.id}`)).statusCode).toBe(404);
    expect((await subUser.request('GET', `/api/accounts/${s2}/templates`)).statusCode).toBe(404);
  });
});
