// Rolling one target's copy back: a mailing copy that is scheduled, sending or sent is refused
// (409 copy_in_use, nothing changed); a restored mailing copy counts as edited now and needs a new
// preflight; the old name taken in the target since is 409 name_conflict (not a 500); removing a
// copy the last distribution created keeps the normal delete guards (unfinished bulk actions, the
// target's own mailings using the template copy, substitute rows unless ?confirm=true).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { distributionKit, type Agency } from '../../../../test/helpers/distribution.ts';
import { rows } from '../../db/types.ts';

describe(`distribution rollback (${ENGINE})`, () => {
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

  const rollback = (a: Agency, kind: string, id: number, target: number, query = '') =>
    a.client.request(
      'POST',
      `${a.base}/distribution/elements/${kind}/${id}/targets/${target}/rollback${query}`,
    );

  /** A mailing distributed twice (subject v1, then v2): its copy in the first sub-account can roll back. */
  async function updatedMailingCopy() {
    const a = await kit.agency(1);
    const [s1] = a.subIds as [number];
    const m = await kit.mailing(a.agencyId, { name: `News ${a.label}`, subject: 'v1', html: '<p>v1</p>' });
    const body = { element: { kind: 'mailing' as const, id: String(m) }, targets: { mode: 'all' as const } };
    await kit.distribute(a, body);
    await db().execute(sql`UPDATE mailings SET subject = 'v2' WHERE id = ${m}`);
    const d2 = await kit.distribute(a, body);
    expect(d2.counts.updated).toBe(1);
    return { a, s1, m };
  }

  for (const status of ['scheduled', 'sending', 'sent'] as const) {
    it(`a mailing copy that is ${status} is not rolled back: 409 copy_in_use, nothing changed`, async () => {
      const { a, s1, m } = await updatedMailingCopy();
      await db().execute(
        sql`UPDATE mailings SET status = ${status} WHERE account_id = ${s1} AND origin_id = ${m}`,
      );
      const versions = async () =>
        (await rows(db(), sql`SELECT id FROM element_versions WHERE account_id = ${s1}`)).length;
      const kept = await versions();
      const back = await rollback(a, 'mailing', m, s1);
      expect(back.statusCode, back.body).toBe(409);
      expect(errorOf(back)).toMatchObject({ code: 'CONFLICT', details: { reason: 'copy_in_use' } });
      const copy = await kit.copyOf(s1, 'mailings', m);
      expect(copy).toMatchObject({ subject: 'v2', status });
      expect(await versions()).toBe(kept);
    });
  }

  it('a restored mailing copy counts as edited now and needs a new preflight', async () => {
    const { a, s1, m } = await updatedMailingCopy();
    await db().execute(
      sql`UPDATE mailings SET preflight_at = now(), preflight_count = 7, updated_at = '2020-01-01T00:00:00Z'
          WHERE account_id = ${s1} AND origin_id = ${m}`,
    );
    const back = await rollback(a, 'mailing', m, s1);
    expect(back.statusCode, back.body).toBe(200);
    const copy = (await kit.copyOf(s1, 'mailings', m))!;
    expect(copy).toMatchObject({ subject: 'v1', preflight_at: null, preflight_count: null });
    expect(new Date(copy.updated_at as string).getTime()).toBe(h.clock.now().getTime());
  });

  it('the old name taken in the target since: 409 name_conflict, the copy stays as it is', async () => {
    const a = await kit.agency(1);
    const [s1] = a.subIds as [number];
    const tpl = await kit.template(a.agencyId, { name: `Old name ${a.label}` });
    const body = {
      element: { kind: 'email_template' as const, id: String(tpl) },
      targets: { mode: 'all' as const },
    };
    await kit.distribute(a, body);
    await db().execute(sql`UPDATE message_templates SET name = ${`New name ${a.label}`} WHERE id = ${tpl}`);
    expect((await kit.distribute(a, body)).counts.updated).toBe(1);
    await kit.template(s1, { name: `Old name ${a.label}` });
    const back = await rollback(a, 'email_template', tpl, s1);
    expect(back.statusCode, back.body).toBe(409);
    expect(errorOf(back)).toMatchObject({ code: 'CONFLICT', details: { reason: 'name_conflict' } });
    expect((await kit.copyOf(s1, 'message_templates', tpl))!.name).toBe(`New name ${a.label}`);
  });

  /** A template distributed once: rolling back removes its copy in the first sub-account. */
  async function createdTemplateCopy() {
    const a = await kit.agency(1);
    const [s1] = a.subIds as [number];
    const tpl = await kit.template(a.agencyId, { name: `Frame ${a.label}` });
    await kit.distribute(a, {
      element: { kind: 'email_template', id: String(tpl) },
      targets: { mode: 'all' },
    });
    const copyId = Number((await kit.copyOf(s1, 'message_templates', tpl))!.id);
    return { a, s1, tpl, copyId };
  }

  it('removing a copy an unfinished bulk action uses: 409 IN_USE, the copy stays', async () => {
    const { a, s1, tpl, copyId } = await createdTemplateCopy();
    await db().execute(
      sql`INSERT INTO bulk_actions (account_id, type, name, status, params, created_at, updated_at)
          VALUES (${s1}, 'bulk_email', 'Send', 'paused', ${JSON.stringify({ templateId: String(copyId) })}::jsonb, now(), now())`,
    );
    const back = await rollback(a, 'email_template', tpl, s1);
    expect(back.statusCode, back.body).toBe(409);
    expect(errorOf(back)).toMatchObject({ code: 'IN_USE', details: { counts: { bulkActions: 1 } } });
    expect(await kit.copyOf(s1, 'message_templates', tpl)).not.toBeNull();
  });

  it("removing a template copy the target's own mailing uses: 409 copy_in_use, the copy stays", async () => {
    const { a, s1, tpl, copyId } = await createdTemplateCopy();
    await kit.mailing(s1, { name: 'Own', templateId: copyId });
    const back = await rollback(a, 'email_template', tpl, s1);
    expect(back.statusCode, back.body).toBe(409);
    expect(errorOf(back)).toMatchObject({ code: 'CONFLICT', details: { reason: 'copy_in_use' } });
    expect(await kit.copyOf(s1, 'message_templates', tpl)).not.toBeNull();
  });

  it('removing a copy that serves as a substitute: 409 SUBSTITUTE_IN_USE, with ?confirm=true removed with its rows', async () => {
    const { a, s1, tpl, copyId } = await createdTemplateCopy();
    const other = await kit.template(a.agencyId, { name: `Other ${a.label}` });
    await kit.substitute(s1, a.agencyId, 'email_template', other, copyId);
    const substituteRows = async () =>
      (
        await rows(
          db(),
          sql`SELECT id FROM substitutes WHERE account_id = ${s1} AND substitute_id = ${copyId}`,
        )
      ).length;
    const refused = await rollback(a, 'email_template', tpl, s1);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(errorOf(refused)).toMatchObject({
      code: 'SUBSTITUTE_IN_USE',
      details: { usage: [{ sourceAccount: { id: String(a.agencyId) }, kind: 'email_template' }] },
    });
    expect(await kit.copyOf(s1, 'message_templates', tpl)).not.toBeNull();
    expect(await substituteRows()).toBe(1);
    const bad = await rollback(a, 'email_template', tpl, s1, '?confirm=yes');
    expect(bad.statusCode, bad.body).toBe(400);
    const removed = await rollback(a, 'email_template', tpl, s1, '?confirm=true');
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await kit.copyOf(s1, 'message_templates', tpl)).toBeNull();
    expect(await substituteRows()).toBe(0);
  });
});
