// Substitutes through the real HTTP app: PUT validation (each reason), tenancy (a sub-account user,
// a target outside the subtree), list filters and keyset pages, bulk delete, the CSV round trip and
// per-line import errors, candidates, and the accepted kinds of an account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { mailingKit } from '../../../../test/helpers/mailings.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { rows } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { insertAccount } from '../accounts/accounts.repo.ts';
import { insertUser, upsertMembership } from '../users/users.repo.ts';
import { hashPassword } from '../../security/passwords.ts';
import type { Substitute, SubstituteImportResult } from '../../../shared/distribution.ts';

describe(`substitutes (${ENGINE})`, () => {
  let h: TestHarness;
  let t: Tenant;
  let owner: Client;
  const kit = mailingKit(() => h);
  const db = () => h.db.database.db;
  let agency: number;
  let sub: number;
  let sub2: number;
  let grandchild: number;
  let stranger: number;
  let strangerOwner: Client;
  const src = (p: string) => `/api/accounts/${agency}${p}`;

  const template = async (
    accountId: number,
    name: string,
    channel: 'email' | 'sms' = 'email',
    client = owner,
  ) => {
    const body =
      channel === 'email'
        ? { channel, name, subject: 'Hi', html: '<p>Hi</p>' }
        : { channel, name, text: 'Hi' };
    const res = await client.request('POST', `/api/accounts/${accountId}/templates`, body);
    expect(res.statusCode, res.body).toBe(201);
    return Number(res.json<{ id: string }>().id);
  };
  const put = (body: Record<string, unknown>, client = owner, account = agency) =>
    client.request('PUT', `/api/accounts/${account}/substitutes`, {
      targetAccountId: String(body.targetAccountId),
      kind: body.kind,
      sourceId: String(body.sourceId),
      substituteId: String(body.substituteId),
    });
  const count = async () =>
    Number((await rows<{ n: number }>(db(), sql`SELECT count(*)::int AS n FROM substitutes`))[0]!.n);

  beforeAll(async () => {
    h = await createHarness();
    t = await createTenant(db());
    owner = await login(h.app, t.users.owner, TEST_PASSWORD);
    agency = Number(t.agencyId);
    sub = Number(t.subId);
    sub2 = await insertAccount(db(), { name: 'Bäckerei Nord', kind: 'sub_account', parentId: agency });
    grandchild = await insertAccount(db(), { name: 'Filiale Süd', kind: 'sub_account', parentId: sub2 });
    const other = await createTenant(db());
    stranger = Number(other.subId);
    strangerOwner = await login(h.app, other.users.owner, TEST_PASSWORD);
  });
  afterAll(() => h.close());

  it('registers and re-points a substitute, refusing each invalid one with its reason and writing nothing', async () => {
    const frame = await template(agency, 'Newsletter-Rahmen');
    const sms = await template(agency, 'SMS-Rahmen', 'sms');
    const local = await template(sub, 'Newsletter-Rahmen Bäckerei');
    const local2 = await template(sub, 'Newsletter-Rahmen 2');
    const localSms = await template(sub, 'SMS lokal', 'sms');
    const foreign = await template(stranger, 'Fremd', 'email', strangerOwner);
    const before = await count();

    const expectInvalid = async (body: Record<string, unknown>, code: string, details: object) => {
      const res = await put(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: { code, details } });
    };
    const ok = { targetAccountId: sub, kind: 'email_template', sourceId: frame, substituteId: local };
    await expectInvalid({ ...ok, targetAccountId: agency }, 'DISTRIBUTION_TARGET_INVALID', {
      accountId: String(agency),
      reason: 'self',
    });
    await expectInvalid({ ...ok, targetAccountId: stranger }, 'DISTRIBUTION_TARGET_INVALID', {
      accountId: String(stranger),
      reason: 'not_descendant',
    });
    await expectInvalid({ ...ok, targetAccountId: 99_999_999 }, 'DISTRIBUTION_TARGET_INVALID', {
      reason: 'unknown',
    });
    await expectInvalid({ ...ok, sourceId: local }, 'SUBSTITUTE_INVALID', { reason: 'source_unknown' });
    await expectInvalid({ ...ok, sourceId: sms }, 'SUBSTITUTE_INVALID', { reason: 'source_unknown' });
    await expectInvalid({ ...ok, substituteId: foreign }, 'SUBSTITUTE_INVALID', { reason: 'not_in_target' });
    await expectInvalid({ ...ok, substituteId: localSms }, 'SUBSTITUTE_INVALID', { reason: 'wrong_kind' });
    expect(await count()).toBe(before);

    const first = await put(ok);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Substitute>()).toMatchObject({
      targetAccount: { id: String(sub), name: expect.stringContaining('Client') },
      kind: 'email_template',
      source: { id: String(frame), name: 'Newsletter-Rahmen', missing: false },
      substitute: { id: String(local), name: 'Newsletter-Rahmen Bäckerei', missing: false },
    });
    // Upsert on (target, kind, source): the same source re-pointed keeps one row.
    const again = await put({ ...ok, substituteId: local2 });
    expect(again.json<Substitute>()).toMatchObject({
      id: first.json<Substitute>().id,
      substitute: { id: String(local2) },
    });
    expect(await count()).toBe(before + 1);
    // Deeper descendants are targets too.
    const deep = await template(grandchild, 'Tiefer Rahmen');
    expect((await put({ ...ok, targetAccountId: grandchild, substituteId: deep })).statusCode).toBe(200);
  });

  it('keeps other tenants out: sub-account users, rights, and targets outside the subtree', async () => {
    const hash = await hashPassword(TEST_PASSWORD);
    const user = await insertUser(db(), {
      email: `subowner.${Date.now()}@test.example`,
      name: 'Sub',
      passwordHash: hash,
    });
    await upsertMembership(db(), asAccountId(sub), user.id, 'owner', false);
    const subOwner = await login(h.app, user.email, TEST_PASSWORD);
    expect((await subOwner.request('GET', src('/substitutes'))).statusCode).toBe(404);
    expect((await subOwner.request('GET', src('/substitutes/export.csv'))).statusCode).toBe(404);
    const frame = await template(agency, 'Nur Agentur');
    const local = await template(sub, 'Lokal X');
    // From its own account, a sub-account cannot point a substitute at its ancestor.
    const up = await put(
      { targetAccountId: agency, kind: 'email_template', sourceId: local, substituteId: frame },
      subOwner,
      sub,
    );
    expect(up.statusCode).toBe(400);
    expect(up.json()).toMatchObject({
      error: { code: 'DISTRIBUTION_TARGET_INVALID', details: { reason: 'not_descendant' } },
    });
    // An agency admin lacks distribution.manage.
    const admin = await login(h.app, t.users.admin, TEST_PASSWORD);
    expect(
      (
        await put(
          { targetAccountId: sub, kind: 'email_template', sourceId: frame, substituteId: local },
          admin,
        )
      ).statusCode,
    ).toBe(403);
    // The sub-account's own substitutes list does not show the agency's rows.
    expect(
      (await put({ targetAccountId: sub, kind: 'email_template', sourceId: frame, substituteId: local }))
        .statusCode,
    ).toBe(200);
    const own = await subOwner.request('GET', `/api/accounts/${sub}/substitutes`);
    expect(own.statusCode).toBe(200);
    expect(own.json<{ items: Substitute[] }>().items).toEqual([]);
    // Another agency's owner cannot delete the agency's row.
    const otherOwner = await login(h.app, (await createTenant(db())).users.owner, TEST_PASSWORD);
    const row = (await owner.request('GET', src(`/substitutes?sourceId=${frame}`))).json<{
      items: Substitute[];
    }>().items[0]!;
    expect((await otherOwner.request('DELETE', src(`/substitutes/${row.id}`))).statusCode).toBe(404);
  });

  it('lists with filters, search in either name, keyset pages, missing names; deletes one and in bulk', async () => {
    const list = async (q: string) => {
      const res = await owner.request('GET', src(`/substitutes?${q}`));
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: Substitute[]; nextCursor: string | null }>();
    };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const listId = await kit.list(agency, []);
      const localList = await kit.list(sub2, []);
      const res = await put({
        targetAccountId: sub2,
        kind: 'subscriber_list',
        sourceId: listId,
        substituteId: localList,
      });
      expect(res.statusCode, res.body).toBe(200);
      made.push(res.json<Substitute>().id);
    }
    const sender = await kit.senderProfile(agency, false);
    const localSender = await kit.senderProfile(sub2, false);
    await db().execute(sql`UPDATE sender_profiles SET name = 'Absender Zebra' WHERE id = ${localSender}`);
    const senderRow = (
      await put({
        targetAccountId: sub2,
        kind: 'sender_profile',
        sourceId: sender,
        substituteId: localSender,
      })
    ).json<Substitute>();

    const lists = await list(`targetAccountId=${sub2}&kind=subscriber_list`);
    expect(lists.items.map((s) => s.id)).toEqual(made);
    expect((await list(`targetAccountId=${sub2}&search=zebra`)).items.map((s) => s.id)).toEqual([
      senderRow.id,
    ]);
    // Pages of 2 walk all five, in order, without repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(
        `targetAccountId=${sub2}&kind=subscriber_list&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made);

    // A deleted substitute element reads as missing (deleted behind the API's back).
    await db().execute(sql`DELETE FROM sender_profiles WHERE id = ${localSender}`);
    expect((await list(`sourceId=${sender}&kind=sender_profile`)).items[0]).toMatchObject({
      substitute: { id: String(localSender), missing: true },
    });

    expect((await owner.request('DELETE', src(`/substitutes/${made[0]}`))).statusCode).toBe(204);
    expect((await owner.request('DELETE', src(`/substitutes/${made[0]}`))).statusCode).toBe(404);
    const bulk = await owner.request('POST', src('/substitutes/bulk-delete'), {
      ids: [made[1], made[2], '999999'],
    });
    expect(bulk.json()).toEqual({ deleted: 2 });
    expect((await list(`targetAccountId=${sub2}&kind=subscriber_list`)).items.map((s) => s.id)).toEqual(
      made.slice(3),
    );
  });

  it('exports CSV and imports it back to the same rows; reports bad rows by line and applies the good ones', async () => {
    const target = await insertAccount(db(), { name: 'CSV Ziel', kind: 'sub_account', parentId: agency });
    const a1 = await template(agency, '=Formel Rahmen');
    const a2 = await kit.list(agency, []);
    const a3 = await kit.targetGroup(agency, 'csv');
    const t1 = await template(target, 'Ziel Rahmen');
    const t2 = await kit.list(target, []);
    const t3 = await kit.targetGroup(target, 'csv');
    for (const [kind, s, d] of [
      ['email_template', a1, t1],
      ['subscriber_list', a2, t2],
      ['target_group', a3, t3],
    ] as const)
      expect((await put({ targetAccountId: target, kind, sourceId: s, substituteId: d })).statusCode).toBe(
        200,
      );
    const snapshot = async () =>
      rows<{ kind: string; sourceId: number; substituteId: number }>(
        db(),
        sql`SELECT kind, source_id::int AS "sourceId", substitute_id::int AS "substituteId" FROM substitutes
            WHERE account_id = ${target} ORDER BY kind, source_id`,
      );
    const before = await snapshot();

    const csv = await owner.request('GET', src(`/substitutes/export.csv?targetAccountId=${target}`));
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'target_account_id,target_account_name,kind,source_id,source_name,substitute_id,substitute_name',
    );
    expect(lines).toHaveLength(4);
    // Formula-safe: the name starting with '=' is guarded.
    expect(csv.body).toContain("'=Formel Rahmen");

    const ids = (await owner.request('GET', src(`/substitutes?targetAccountId=${target}`)))
      .json<{ items: Substitute[] }>()
      .items.map((s) => s.id);
    expect((await owner.request('POST', src('/substitutes/bulk-delete'), { ids })).json()).toEqual({
      deleted: 3,
    });
    expect(await snapshot()).toEqual([]);

    const imported = await owner.request('POST', src('/substitutes/import'), csv.body, {
      'content-type': 'text/csv',
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json<SubstituteImportResult>()).toEqual({ applied: 3, errors: [] });
    expect(await snapshot()).toEqual(before);
    // The same file again (a double submit) changes nothing: rows are upserted, not added.
    const twice = await owner.request('POST', src('/substitutes/import'), csv.body, {
      'content-type': 'text/csv',
    });
    expect(twice.json<SubstituteImportResult>()).toEqual({ applied: 3, errors: [] });
    expect(await snapshot()).toEqual(before);

    // By names only (the guarded name read back), and three bad lines among good ones.
    await db().execute(sql`DELETE FROM substitutes WHERE account_id = ${target}`);
    const byName = [
      'target_account_name,kind,source_name,substitute_name',
      `CSV Ziel,email_template,'=Formel Rahmen,Ziel Rahmen`,
      `CSV Ziel,mailing,Gibt es nicht,Ziel Rahmen`,
      `CSV Ziel,wrong_kind_name,x,y`,
      `Nirgendwo,subscriber_list,x,y`,
      `${target},subscriber_list,${a2},${t2}`,
    ].join('\n');
    // The last line uses names columns with ids: it is not found by name.
    const res = await owner.request('POST', src('/substitutes/import'), byName, {
      'content-type': 'text/csv',
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<SubstituteImportResult>();
    expect(result.applied).toBe(1);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(result.errors[0]!.message).toContain('Gibt es nicht');
    expect(await snapshot()).toEqual(before.filter((r) => r.kind === 'email_template'));

    // Ids that fail the PUT checks are per-line errors too.
    const idRows = [
      'target_account_id,kind,source_id,substitute_id',
      `${stranger},subscriber_list,${a2},${t2}`,
      `${target},subscriber_list,${t2},${t2}`,
      `${target},subscriber_list,${a2},${a2}`,
      `${target},subscriber_list,${a2},${t2}`,
    ].join('\r\n');
    const checked = (
      await owner.request('POST', src('/substitutes/import'), idRows, { 'content-type': 'text/csv' })
    ).json<SubstituteImportResult>();
    expect(checked.applied).toBe(1);
    expect(checked.errors.map((e) => e.line)).toEqual([2, 3, 4]);

    // Without the needed columns: 400 with a code, nothing applied.
    const bad = await owner.request('POST', src('/substitutes/import'), 'kind,source_id\nmailing,1\n', {
      'content-type': 'text/csv',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: {
        code: 'IMPORT_FILE_INVALID',
        details: { reason: 'missing_columns', columns: ['target_account_id', 'substitute_id'] },
      },
    });
  });

  it('exports only the rows the table’s filters show: target, kind, source element and search', async () => {
    const target = await insertAccount(db(), { name: 'Export Ziel', kind: 'sub_account', parentId: agency });
    const other = await insertAccount(db(), { name: 'Export Anders', kind: 'sub_account', parentId: agency });
    const summer = await template(agency, 'Sommer-Rahmen');
    const winter = await template(agency, 'Winter-Rahmen');
    const list = await kit.list(agency, []);
    const localSummer = await template(target, 'Lokal Eins');
    const localWinter = await template(target, 'Lokal Zwei');
    const localList = await kit.list(target, []);
    const otherSummer = await template(other, 'Anders Sommer');
    for (const [account, kind, s, d] of [
      [target, 'email_template', summer, localSummer],
      [target, 'email_template', winter, localWinter],
      [target, 'subscriber_list', list, localList],
      [other, 'email_template', summer, otherSummer],
    ] as const)
      expect((await put({ targetAccountId: account, kind, sourceId: s, substituteId: d })).statusCode).toBe(
        200,
      );
    /** The exported rows as "target:source->substitute" (header checked, BOM dropped). */
    const exported = async (query: string) => {
      const res = await owner.request('GET', src(`/substitutes/export.csv?${query}`));
      expect(res.statusCode, res.body).toBe(200);
      const [header, ...lines] = res.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(header).toBe(
        'target_account_id,target_account_name,kind,source_id,source_name,substitute_id,substitute_name',
      );
      return lines.map((line) => {
        const cells = line.split(',');
        return `${cells[0]}:${cells[3]}->${cells[5]}`;
      });
    };
    const row = (account: number, s: number, d: number) => `${account}:${s}->${d}`;

    // Search in either name (case-insensitive), within the target.
    expect(await exported(`targetAccountId=${target}&search=SOMMER`)).toEqual([
      row(target, summer, localSummer),
    ]);
    expect(await exported(`targetAccountId=${target}&search=lokal%20zwei`)).toEqual([
      row(target, winter, localWinter),
    ]);
    // One source element across targets, then in one target.
    expect(await exported(`sourceId=${summer}&kind=email_template`)).toEqual([
      row(target, summer, localSummer),
      row(other, summer, otherSummer),
    ]);
    expect(await exported(`sourceId=${summer}&kind=email_template&targetAccountId=${other}`)).toEqual([
      row(other, summer, otherSummer),
    ]);
    // Kind within a target, and every filter together matching nothing: the header only.
    expect(await exported(`targetAccountId=${target}&kind=subscriber_list`)).toEqual([
      row(target, list, localList),
    ]);
    // (A source id names an element only with its kind: ids of lists and templates may coincide.)
    expect(
      await exported(`targetAccountId=${target}&kind=subscriber_list&sourceId=${list}&search=Rahmen`),
    ).toEqual([]);
    // The same filters as the list call answer the same rows.
    const listed = (
      await owner.request('GET', src(`/substitutes?targetAccountId=${target}&search=rahmen`))
    ).json<{ items: Substitute[] }>().items;
    expect(await exported(`targetAccountId=${target}&search=rahmen`)).toEqual(
      listed.map((s) => `${s.targetAccount.id}:${s.source.id}->${s.substitute.id}`),
    );
    expect(listed).toHaveLength(2);
    // Bad filters are 400 with a code, not 500.
    for (const bad of ['sourceId=abc', `search=${'x'.repeat(201)}`, 'page=2'])
      expect((await owner.request('GET', src(`/substitutes/export.csv?${bad}`))).statusCode).toBe(400);
  });

  it('offers candidates of a kind in a target, the same-name one first, never outside the subtree', async () => {
    const target = await insertAccount(db(), { name: 'Kandidat', kind: 'sub_account', parentId: agency });
    for (const name of ['Sommer Rahmen', 'Rahmen', 'Rahmen Winter']) await template(target, name);
    await template(target, 'Rahmen SMS', 'sms');
    const res = await owner.request(
      'GET',
      src(`/substitutes/candidates?targetAccountId=${target}&kind=email_template&search=rahmen`),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ items: { name: string }[] }>().items.map((i) => i.name)).toEqual([
      'Rahmen',
      'Rahmen Winter',
      'Sommer Rahmen',
    ]);
    const outside = await owner.request(
      'GET',
      src(`/substitutes/candidates?targetAccountId=${stranger}&kind=email_template`),
    );
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ error: { code: 'DISTRIBUTION_TARGET_INVALID' } });
  });

  it('reads and sets the accepted kinds of an account (absent: all three), right settings.manage', async () => {
    const url = `/api/accounts/${sub}/distribution/accepted-kinds`;
    expect((await owner.request('GET', url)).json()).toEqual({
      kinds: ['email_template', 'sms_template', 'mailing'],
    });
    const set = await owner.request('PUT', url, { kinds: ['mailing', 'email_template', 'mailing'] });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ kinds: ['email_template', 'mailing'] });
    expect((await owner.request('GET', url)).json()).toEqual({ kinds: ['email_template', 'mailing'] });
    const [row] = await rows<{ kinds: string[] }>(
      db(),
      sql`SELECT accepted_kinds AS kinds FROM distribution_settings WHERE account_id = ${sub}`,
    );
    expect(row!.kinds).toEqual(['email_template', 'mailing']);
    expect((await owner.request('PUT', url, { kinds: ['list'] })).statusCode).toBe(400);
    const marketer = await login(h.app, t.users.marketer, TEST_PASSWORD);
    expect((await marketer.request('GET', url)).statusCode).toBe(403);
  });
});
