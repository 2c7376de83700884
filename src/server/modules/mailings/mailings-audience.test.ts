// The audience formula against a table of contacts × lists × target groups × consent states:
// several lists OR, several target groups OR, no target group = no narrowing, consent subscribed
// only, undeliverable and invalid addresses out, each address once; parts that are gone → problems.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, type TestHarness } from '../../../../test/helpers/app.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { mailingKit, type MailingTenant } from '../../../../test/helpers/mailings.ts';
import type { AudienceCount } from '../../../shared/mailings.ts';

describe(`mailing audience (${ENGINE})`, () => {
  let h: TestHarness;
  const kit = mailingKit(() => h);
  let t: MailingTenant;
  const ids: Record<string, number> = {};
  let L1 = 0;
  let L2 = 0;
  let GB = 0;
  let GM = 0;

  beforeAll(async () => {
    h = await createHarness();
    t = await kit.tenant();
    const a = t.accountId;
    const shared = kit.addr('shared');
    // name: [email, consent, group]
    const table: Record<string, [string | null, string, string]> = {
      b1: [kit.addr('b1'), 'subscribed', 'B'],
      b2: [kit.addr('b2'), 'subscribed', 'B'],
      bUnsub: [kit.addr('bu'), 'unsubscribed', 'B'],
      bHard: [kit.addr('bh'), 'subscribed', 'B'],
      bNoMail: [null, 'subscribed', 'B'],
      bInvalid: ['not-an-address', 'subscribed', 'B'],
      m1: [kit.addr('m1'), 'subscribed', 'M'],
      mDupA: [shared, 'subscribed', 'M'],
      mDupB: [` ${shared.toUpperCase()} `, 'subscribed', 'M'],
      x1: [kit.addr('x1'), 'subscribed', 'X'],
      outside: [kit.addr('out'), 'subscribed', 'B'],
    };
    for (const [name, [email, consent, group]] of Object.entries(table))
      ids[name] = await kit.contact(a, { email, consent, group });
    await kit.db().execute(sql`INSERT INTO address_deliverability (account_id, channel, address, state)
      VALUES (${a}, 'email', ${table.bHard![0]}, 'hard_bounced')`);
    // L1: the B contacts and m1; L2: m1 again, the duplicate pair and x1. `outside` is in no list.
    L1 = await kit.list(
      a,
      ['b1', 'b2', 'bUnsub', 'bHard', 'bNoMail', 'bInvalid', 'm1'].map((n) => ids[n]!),
    );
    L2 = await kit.list(
      a,
      ['m1', 'mDupA', 'mDupB', 'x1'].map((n) => ids[n]!),
    );
    GB = await kit.targetGroup(a, 'B');
    GM = await kit.targetGroup(a, 'M');
    // A deleted contact in a list never counts.
    const gone = await kit.contact(a, { email: kit.addr('gone'), group: 'B' });
    await kit
      .db()
      .execute(sql`INSERT INTO list_members (account_id, list_id, contact_id) VALUES (${a}, ${L1}, ${gone})`);
    await kit.db().execute(sql`UPDATE contacts SET deleted_at = now() WHERE id = ${gone}`);
  });
  afterAll(async () => {
    await h.close();
  });

  const count = async (listIds: number[], targetGroupIds: number[], client = t.client, base = t.base) => {
    const res = await client.request('POST', `${base}/mailings/audience`, {
      listIds: listIds.map(String),
      targetGroupIds: targetGroupIds.map(String),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AudienceCount>();
  };

  it.each([
    // lists, target groups → members, in groups, with consent (= recipients: distinct addresses)
    { lists: () => [L1], groups: () => [], expected: [7, 7, 3] }, // b1, b2, m1
    { lists: () => [L2], groups: () => [], expected: [4, 4, 3] }, // m1, shared (once), x1
    { lists: () => [L1, L2], groups: () => [], expected: [10, 10, 5] }, // m1 once
    { lists: () => [L1], groups: () => [GB], expected: [7, 6, 2] }, // b1, b2
    { lists: () => [L1, L2], groups: () => [GM], expected: [10, 3, 2] }, // m1, shared
    { lists: () => [L1, L2], groups: () => [GB, GM], expected: [10, 9, 4] }, // x1 out
    { lists: () => [L2], groups: () => [GB], expected: [4, 0, 0] },
  ])('counts lists × target groups × consent ($expected)', async ({ lists, groups, expected }) => {
    const c = await count(lists(), groups());
    expect([c.listMembers, c.inTargetGroups, c.withConsent]).toEqual(expected);
    expect(c).toMatchObject({ alreadyReached: 0, recipients: expected[2], problems: [] });
  });

  it('a saved mailing names deleted lists and target groups and invalid filters as problems (count 0), never a 500', async () => {
    const a = t.accountId;
    const gone = await kit.list(a, [ids.b1!]);
    const goneGroup = await kit.targetGroup(a, 'Z');
    const invalid = await kit.targetGroup(a, 'Q');
    const m = await kit.createMailing(t, {
      listIds: [String(L1), String(gone)],
      targetGroupIds: [String(goneGroup), String(invalid)],
    });
    await kit.db().execute(sql`DELETE FROM subscriber_lists WHERE id = ${gone}`);
    await kit.db().execute(sql`DELETE FROM smart_lists WHERE id = ${goneGroup}`);
    await kit
      .db()
      .execute(
        sql`UPDATE smart_lists SET filter = '{"op":"and","conditions":[{"type":"tag","op":"has","tagId":"999999"}]}'::jsonb WHERE id = ${invalid}`,
      );
    const res = await t.client.request('GET', `${t.base}/mailings/${m.id}/audience`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<AudienceCount>();
    expect(c.recipients).toBe(0);
    expect(c.problems.map((p) => [p.reason, p.id])).toEqual([
      ['list_deleted', String(gone)],
      ['target_group_deleted', String(goneGroup)],
      ['target_group_invalid', String(invalid)],
    ]);
    // In the editor's live count (nothing saved), an id that is not the account's is 404 naming it.
    const live = await t.client.request('POST', `${t.base}/mailings/audience`, {
      listIds: [String(L1), String(gone)],
      targetGroupIds: [],
    });
    expect(live.statusCode).toBe(404);
    expect(live.json()).toMatchObject({
      error: { code: 'NOT_FOUND', details: { kind: 'list', ids: [String(gone)] } },
    });
    expect(await count([L1], [invalid])).toMatchObject({
      recipients: 0,
      problems: [{ reason: 'target_group_invalid', id: String(invalid) }],
    });
  });

  it("never counts another account's list or target group: 404 naming them", async () => {
    const other = await kit.tenant();
    const body = (lists: number[], groups: number[]) => ({
      listIds: lists.map(String),
      targetGroupIds: groups.map(String),
    });
    const list = await other.client.request('POST', `${other.base}/mailings/audience`, body([L1], []));
    expect(list.statusCode).toBe(404);
    expect(list.json()).toMatchObject({
      error: { code: 'NOT_FOUND', details: { kind: 'list', ids: [String(L1)] } },
    });
    const own = await kit.list(other.accountId, []);
    const group = await other.client.request(
      'POST',
      `${other.base}/mailings/audience`,
      body([own], [GB, 9007199254740991]),
    );
    expect(group.statusCode).toBe(404);
    expect(group.json()).toMatchObject({
      error: { code: 'NOT_FOUND', details: { kind: 'targetGroup', ids: [String(GB), '9007199254740991'] } },
    });
  });
});
