// Distribution end to end over HTTP: create and update through substitutes (explicit, and a
// distributed template standing for its origin), origin and version of copies, unchanged repeats,
// the missing-substitute failure with exactly one summary and one result per account to the right
// users, local edits (skip / overwrite / keep), rollback, retry of failed targets, and the dry run
// that writes nothing and agrees with the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { distributionKit, type Agency } from '../../../../test/helpers/distribution.ts';
import { rows } from '../../db/types.ts';
import type { ElementCopy, Plan } from '../../../shared/distribution.ts';

describe(`distribution run (${ENGINE})`, () => {
  let h: TestHarness;
  const kit = distributionKit(() => h);
  const db = () => kit.db();

  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  /** An agency mailing with template, sender, list and target group; parts registered in `withSubs`. */
  async function mailingSetup(a: Agency, withSubs: number[]) {
    const tpl = await kit.template(a.agencyId, { name: 'Newsletter frame' });
    const sender = await kit.senderProfile(a.agencyId, 'Agency sender');
    const list = await kit.list(a.agencyId, 'Agency list');
    const group = await kit.targetGroup(a.agencyId, 'Agency group');
    const mailing = await kit.mailing(a.agencyId, {
      name: 'November news',
      templateId: tpl,
      senderProfileId: sender,
      listIds: [list],
      targetGroupIds: [group],
    });
    const local: Record<number, { tpl: number; sender: number; list: number; group: number }> = {};
    for (const sub of a.subIds) {
      const parts = {
        tpl: await kit.template(sub, { name: `Frame ${sub}` }),
        sender: await kit.senderProfile(sub, `Sender ${sub}`),
        list: await kit.list(sub, `List ${sub}`),
        group: await kit.targetGroup(sub, `Group ${sub}`),
      };
      local[sub] = parts;
      await kit.substitute(sub, a.agencyId, 'sender_profile', sender, parts.sender);
      await kit.substitute(sub, a.agencyId, 'subscriber_list', list, parts.list);
      await kit.substitute(sub, a.agencyId, 'target_group', group, parts.group);
      if (withSubs.includes(sub)) await kit.substitute(sub, a.agencyId, 'email_template', tpl, parts.tpl);
    }
    return { tpl, sender, list, group, mailing, local };
  }

  it('creates copies through substitutes, then updates a changed element and keeps the previous version', async () => {
    const a = await kit.agency(2);
    const [s1, s2] = a.subIds as [number, number];
    const m = await mailingSetup(a, [s1, s2]);
    const first = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    expect(first.status).toBe('completed');
    expect(first.counts).toMatchObject({ total: 2, created: 2, failed: 0, pending: 0 });

    for (const sub of [s1, s2]) {
      const copy = (await kit.copyOf(sub, 'mailings', m.mailing))!;
      expect(copy).toMatchObject({ status: 'draft', name: 'November news', origin_version: 1 });
      expect(Number(copy.origin_account_id)).toBe(a.agencyId);
      expect(Number(copy.template_id)).toBe(m.local[sub]!.tpl);
      expect(Number(copy.sender_profile_id)).toBe(m.local[sub]!.sender);
      expect((copy.list_ids as unknown[]).map(Number)).toEqual([m.local[sub]!.list]);
      expect((copy.target_group_ids as unknown[]).map(Number)).toEqual([m.local[sub]!.group]);
      expect(Number(copy.root_id)).toBe(Number(copy.id));
      expect(copy.origin_hash).toBe(copy.content_hash);
    }

    // Unchanged source: every target unchanged, no version kept.
    const again = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    expect(again.counts).toMatchObject({ unchanged: 2, created: 0, updated: 0 });

    // A changed source: updated, the previous content kept in element_versions.
    await db().execute(sql`UPDATE mailings SET name = 'November news (2)' WHERE id = ${m.mailing}`);
    const third = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    expect(third.counts).toMatchObject({ updated: 2 });
    expect(third.element.version).toBe(2);
    const copy = (await kit.copyOf(s1, 'mailings', m.mailing))!;
    expect(copy).toMatchObject({ name: 'November news (2)', origin_version: 2 });
    const versions = await rows<{ content: { name: string } }>(
      db(),
      sql`SELECT content FROM element_versions WHERE account_id = ${s1} AND element_id = ${copy.id}`,
    );
    expect(versions.map((v) => v.content.name)).toEqual(['November news']);

    // Copies list: both, with canRollback.
    const copies = await a.client.request(
      'GET',
      `${a.base}/distribution/elements/mailing/${m.mailing}/copies`,
    );
    expect(copies.statusCode, copies.body).toBe(200);
    const items = copies.json<{ items: ElementCopy[] }>().items;
    expect(items.map((c) => Number(c.account.id)).sort()).toEqual([s1, s2].sort());
    expect(items.every((c) => c.canRollback && c.originVersion === 2 && !c.locallyModified)).toBe(true);
  });

  it('a distributed template stands for its origin when the mailing follows (implicit substitute)', async () => {
    const a = await kit.agency(1);
    const [s1] = a.subIds as [number];
    const m = await mailingSetup(a, []);
    const t = await kit.distribute(a, {
      element: { kind: 'email_template', id: String(m.tpl) },
      targets: { mode: 'all' },
    });
    expect(t.counts.created).toBe(1);
    const tplCopy = (await kit.copyOf(s1, 'message_templates', m.tpl))!;
    const d = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    expect(d.counts.created).toBe(1);
    expect(Number((await kit.copyOf(s1, 'mailings', m.mailing))!.template_id)).toBe(Number(tplCopy.id));
  });

  it('a missing substitute fails that target naming the element; one summary and one result per account, to the right users', async () => {
    const a = await kit.agency(2);
    const [s1, s2] = a.subIds as [number, number];
    const m = await mailingSetup(a, [s1]);
    // Sub-account-only members: one who reads notifications, one who does not.
    const analyst = await kit.memberOf(s2, 'analyst');
    const viewer = await kit.memberOf(s2, 'viewer');
    const d = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    expect(d.counts).toMatchObject({ created: 1, failed: 1 });
    const targets = await kit.targetsOf(a, d.id);
    expect(targets.get(s1)!.status).toBe('created');
    const failed = targets.get(s2) as unknown as {
      status: string;
      reason: string;
      detail: { missing: unknown[] };
    };
    expect(failed).toMatchObject({ status: 'failed', reason: 'missing_substitute' });
    expect(failed.detail.missing).toEqual([
      { kind: 'email_template', id: String(m.tpl), name: 'Newsletter frame', suggestion: null },
    ]);
    expect(await kit.copyOf(s2, 'mailings', m.mailing)).toBeNull();

    const summaries = await kit.notificationsOf(a.agencyId, 'distribution.source_summary');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.params).toMatchObject({ succeeded: 1, failed: 1, operation: 'distribute' });
    expect(summaries[0]!.params.failures).toEqual([
      expect.objectContaining({
        account: expect.objectContaining({ id: String(s2) }),
        code: 'missing_substitute',
        missing: [{ kind: 'email_template', name: 'Newsletter frame' }],
      }),
    ]);
    expect(summaries[0]).toMatchObject({ subjectKind: 'distribution', subjectId: d.id });
    for (const [sub, outcome] of [
      [s1, 'created'],
      [s2, 'failed'],
    ] as const) {
      const results = await kit.notificationsOf(sub, 'distribution.target_result');
      expect(results).toHaveLength(1);
      expect(results[0]!.params).toMatchObject({ outcome, sourceAccount: { id: String(a.agencyId) } });
    }
    const [s1Result] = await kit.notificationsOf(s1, 'distribution.target_result');
    expect(s1Result).toMatchObject({
      subjectKind: 'mailing',
      subjectId: String((await kit.copyOf(s1, 'mailings', m.mailing))!.id),
    });
    const [s2Result] = await kit.notificationsOf(s2, 'distribution.target_result');
    expect(s2Result).toMatchObject({ subjectKind: 'element_list', subjectId: 'mailing' });
    expect(s2Result!.params).toMatchObject({
      code: 'missing_substitute',
      missing: [{ kind: 'email_template', name: 'Newsletter frame' }],
    });

    // Recipients: users with notifications.view there (the analyst, agency members reaching it), not the viewer.
    const recipients = async (notificationId: number) =>
      (
        await rows<{ userId: string }>(
          db(),
          sql`SELECT user_id::text AS "userId" FROM notification_recipients WHERE notification_id = ${notificationId}`,
        )
      ).map((r) => r.userId);
    const inS2 = await recipients(s2Result!.id);
    expect(inS2).toContain(analyst.userId);
    expect(inS2).not.toContain(viewer.userId);
    expect(inS2).toContain(a.client.userId);
    const inAgency = await recipients(summaries[0]!.id);
    expect(inAgency).toContain(a.client.userId);
    expect(inAgency).not.toContain(analyst.userId);

    // Retry after registering the substitute: a new distribution over exactly the failed target.
    await kit.substitute(s2, a.agencyId, 'email_template', m.tpl, m.local[s2]!.tpl);
    const res = await a.client.request('POST', `${a.base}/distributions/${d.id}/retry`);
    expect(res.statusCode, res.body).toBe(202);
    const retry = await kit.finish(a, res.json<{ id: string }>().id);
    expect(retry).toMatchObject({ retryOf: d.id, counts: { total: 1, created: 1, failed: 0 } });
    expect([...(await kit.targetsOf(a, retry.id)).keys()]).toEqual([s2]);
    expect(Number((await kit.copyOf(s2, 'mailings', m.mailing))!.template_id)).toBe(m.local[s2]!.tpl);
    // Nothing failed in the retry: retrying it is a conflict.
    const none = await a.client.request('POST', `${a.base}/distributions/${retry.id}/retry`);
    expect(none.statusCode).toBe(409);
    expect(none.json<{ error: { details: { reason: string } } }>().error.details.reason).toBe(
      'nothing_failed',
    );
  });

  it('local edits are skipped by default, overwritten or kept on request; rollback restores and removes', async () => {
    const a = await kit.agency(3);
    const [s1, s2, s3] = a.subIds as [number, number, number];
    const tpl = await kit.template(a.agencyId, { name: 'Frame', subject: 'v1' });
    const body = {
      element: { kind: 'email_template' as const, id: String(tpl) },
      targets: { mode: 'all' as const },
    };
    await kit.distribute(a, body);
    for (const sub of [s1, s2, s3])
      await db().execute(
        sql`UPDATE message_templates SET subject = 'local' WHERE account_id = ${sub} AND origin_id = ${tpl}`,
      );
    await db().execute(sql`UPDATE message_templates SET subject = 'v2' WHERE id = ${tpl}`);

    const planned = await a.client.request('POST', `${a.base}/distribution/plan`, {
      element: body.element,
      targets: body.targets,
    });
    expect(planned.statusCode, planned.body).toBe(200);
    expect(planned.json<Plan>().counts.locally_modified).toBe(3);

    const d = await kit.distribute(a, {
      ...body,
      onModified: { [String(s2)]: 'overwrite', [String(s3)]: 'keep' },
    });
    const targets = await kit.targetsOf(a, d.id);
    expect(targets.get(s1)).toMatchObject({ status: 'skipped', reason: 'locally_modified' });
    expect(targets.get(s2)).toMatchObject({ status: 'updated', reason: null });
    expect(targets.get(s3)).toMatchObject({ status: 'skipped', reason: 'kept_local' });
    expect((await kit.copyOf(s1, 'message_templates', tpl))!.subject).toBe('local');
    expect((await kit.copyOf(s2, 'message_templates', tpl))!.subject).toBe('v2');
    expect((await kit.copyOf(s3, 'message_templates', tpl))!.subject).toBe('local');
    const summary = (await kit.notificationsOf(a.agencyId, 'distribution.source_summary')).at(-1)!;
    expect(summary.params).toMatchObject({ succeeded: 1, failed: 0, skipped: 2 });

    // Rollback of s2: the local content before the overwrite comes back.
    const back = await a.client.request(
      'POST',
      `${a.base}/distribution/elements/email_template/${tpl}/targets/${s2}/rollback`,
    );
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json<ElementCopy>()).toMatchObject({
      originVersion: 1,
      canRollback: false,
      locallyModified: true,
    });
    expect((await kit.copyOf(s2, 'message_templates', tpl))!.subject).toBe('local');
    // Again: no version left, the copy was created by distribution → removed.
    const gone = await a.client.request(
      'POST',
      `${a.base}/distribution/elements/email_template/${tpl}/targets/${s2}/rollback`,
    );
    expect(gone.statusCode, gone.body).toBe(204);
    expect(await kit.copyOf(s2, 'message_templates', tpl)).toBeNull();
    const missing = await a.client.request(
      'POST',
      `${a.base}/distribution/elements/email_template/${tpl}/targets/${s2}/rollback`,
    );
    expect(missing.statusCode).toBe(404);
  });

  it('the dry run writes nothing and agrees with the run', async () => {
    const a = await kit.agency(4);
    const [s1, s2, s3, s4] = a.subIds as [number, number, number, number];
    const m = await mailingSetup(a, [s1, s3, s4]);
    // s3: a conflicting own mailing of the same name; s4 does not accept mailings.
    await kit.mailing(s3, { name: 'november NEWS' });
    await db().execute(
      sql`INSERT INTO distribution_settings (account_id, accepted_kinds) VALUES (${s4}, '{email_template}')`,
    );
    // s2 lacks the template substitute but has a template of the same name: the suggestion.
    const same = await kit.template(s2, { name: 'Newsletter frame' });
    const tables = [
      'message_templates',
      'mailings',
      'distributions',
      'distribution_targets',
      'element_versions',
      'substitutes',
      'notifications',
    ];
    const before = await kit.checksum(tables);
    const res = await a.client.request('POST', `${a.base}/distribution/plan`, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await kit.checksum(tables)).toEqual(before);
    const plan = res.json<Plan>();
    expect(plan.references.map((r) => r.kind).sort()).toEqual(
      ['email_template', 'sender_profile', 'subscriber_list', 'target_group'].sort(),
    );
    const byAccount = new Map(plan.targets.map((t) => [Number(t.account.id), t]));
    expect(byAccount.get(s1)).toMatchObject({ outcome: 'create' });
    expect(byAccount.get(s2)).toMatchObject({ outcome: 'fail', reason: 'missing_substitute' });
    expect(byAccount.get(s2)!.detail!.missing![0]!.suggestion).toEqual({
      id: String(same),
      name: 'Newsletter frame',
    });
    expect(byAccount.get(s3)).toMatchObject({
      outcome: 'fail',
      reason: 'name_conflict',
      detail: { name: 'november NEWS' },
    });
    expect(byAccount.get(s4)).toMatchObject({ outcome: 'fail', reason: 'kind_not_allowed' });
    expect(plan.counts).toMatchObject({ create: 1, fail: 3, update: 0 });

    const d = await kit.distribute(a, {
      element: { kind: 'mailing', id: String(m.mailing) },
      targets: { mode: 'all' },
    });
    const run = await kit.targetsOf(a, d.id);
    const asRun = {
      create: 'created',
      update: 'updated',
      unchanged: 'unchanged',
      fail: 'failed',
      locally_modified: 'skipped',
    };
    for (const t of plan.targets) {
      expect(run.get(Number(t.account.id))).toMatchObject({ status: asRun[t.outcome], reason: t.reason });
    }
  });

  it("the target list shows each copy's name, read in the copy's own account", async () => {
    const a = await kit.agency(2);
    const tpl = await kit.template(a.agencyId, { name: `Frame ${a.label}` });
    const d = await kit.distribute(a, {
      element: { kind: 'email_template', id: String(tpl) },
      targets: { mode: 'all' },
    });
    const res = await a.client.request('GET', `${a.base}/distributions/${d.id}/targets`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { copy: { id: string; name: string } | null }[] }>().items;
    expect(items.map((t) => t.copy?.name)).toEqual([`Frame ${a.label}`, `Frame ${a.label}`]);
  });

  it("a new copy takes the source's activation; an update leaves the copy's own activation alone", async () => {
    const a = await kit.agency(1);
    const [s1] = a.subIds as [number];
    const tpl = await kit.template(a.agencyId, { name: `Paused ${a.label}` });
    const m = await kit.mailing(a.agencyId, { name: `Paused news ${a.label}` });
    await db().execute(sql`UPDATE message_templates SET active = false WHERE id = ${tpl}`);
    await db().execute(sql`UPDATE mailings SET active = false WHERE id = ${m}`);
    const tplBody = {
      element: { kind: 'email_template' as const, id: String(tpl) },
      targets: { mode: 'all' as const },
    };
    const mBody = { element: { kind: 'mailing' as const, id: String(m) }, targets: { mode: 'all' as const } };
    expect((await kit.distribute(a, tplBody)).counts.created).toBe(1);
    expect((await kit.distribute(a, mBody)).counts.created).toBe(1);
    expect((await kit.copyOf(s1, 'message_templates', tpl))!.active).toBe(false);
    expect((await kit.copyOf(s1, 'mailings', m))!.active).toBe(false);

    // The target turns its template copy on; the source, now active with new content, does not
    // switch the mailing copy on either: an update carries content, not activation.
    await db().execute(
      sql`UPDATE message_templates SET active = true WHERE account_id = ${s1} AND origin_id = ${tpl}`,
    );
    await db().execute(sql`UPDATE message_templates SET active = false, subject = 'v2' WHERE id = ${tpl}`);
    await db().execute(sql`UPDATE mailings SET active = true, subject = 'v2' WHERE id = ${m}`);
    expect((await kit.distribute(a, tplBody)).counts.updated).toBe(1);
    expect((await kit.distribute(a, mBody)).counts.updated).toBe(1);
    expect((await kit.copyOf(s1, 'message_templates', tpl))!).toMatchObject({ active: true, subject: 'v2' });
    expect((await kit.copyOf(s1, 'mailings', m))!).toMatchObject({ active: false, subject: 'v2' });
  });

  it('a retry keeps a failed target that left the subtree; the run records not_descendant for it', async () => {
    const a = await kit.agency(3);
    const other = await kit.agency(0);
    const [s1, s2, s3] = a.subIds as [number, number, number];
    const tpl = await kit.template(a.agencyId, { name: `Moving ${a.label}` });
    // s2 and s3 fail for real (a trigger refuses templates written there), then s3 moves away.
    await db().execute(
      sql.raw(`CREATE FUNCTION refuse_moving() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.account_id IN (${s2}, ${s3}) THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`),
    );
    await db().execute(
      sql.raw(
        `CREATE TRIGGER refuse_moving BEFORE INSERT ON message_templates FOR EACH ROW EXECUTE FUNCTION refuse_moving()`,
      ),
    );
    const body = {
      element: { kind: 'email_template' as const, id: String(tpl) },
      targets: { mode: 'all' as const },
    };
    let d;
    try {
      d = await kit.distribute(a, body);
    } finally {
      await db().execute(sql`DROP TRIGGER refuse_moving ON message_templates`);
      await db().execute(sql`DROP FUNCTION refuse_moving()`);
    }
    expect(d.counts).toMatchObject({ created: 1, failed: 2 });
    expect(await kit.copyOf(s1, 'message_templates', tpl)).not.toBeNull();
    await db().execute(sql`UPDATE accounts SET parent_id = ${other.agencyId} WHERE id = ${s3}`);
    const res = await a.client.request('POST', `${a.base}/distributions/${d.id}/retry`);
    expect(res.statusCode, res.body).toBe(202);
    const retry = await kit.finish(a, res.json<{ id: string }>().id);
    expect(retry.counts).toMatchObject({ total: 2, created: 1, failed: 1 });
    const targets = await kit.targetsOf(a, retry.id);
    expect(targets.get(s2)).toMatchObject({ status: 'created' });
    expect(targets.get(s3)).toMatchObject({ status: 'failed', reason: 'not_descendant' });
    expect(await kit.copyOf(s3, 'message_templates', tpl)).toBeNull();
  });
});
